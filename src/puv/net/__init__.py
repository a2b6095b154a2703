"""The network layer: one async HTTP client per run behind our own small interface, with
retries, timeouts, proxies, TLS settings, credentials (always redacted) and an HTTP cache.

The HTTP library (httpcore, chosen by measurement: docs/net.md) is imported only when a request
has to go out, so a run answered entirely from a fresh cache never loads it (nor asyncio).
"""
