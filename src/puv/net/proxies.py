"""Which proxy a request goes through, from the environment (pure; no HTTP library here).

The variables are those curl, httpx's `trust_env` and uv read:

- `HTTP_PROXY` for `http://` URLs, `HTTPS_PROXY` for `https://` URLs, `ALL_PROXY` for either
  when the scheme's own is unset; lower-case names win over upper-case ones, an empty value
  counts as unset, and `HTTP_PROXY` is ignored when `REQUEST_METHOD` is set (a CGI script, where
  the request could set it: "httpoxy"). A value without a scheme is an `http://` proxy.
- `NO_PROXY`: comma-separated hosts that are reached directly. `*` turns proxies off; an IP
  address (or a CIDR block such as `10.0.0.0/8`) matches that address; `localhost` and other
  names match themselves and their subdomains, with or without a leading dot (as curl and uv:
  `.example.com` and `example.com` both cover `example.com` and `pypi.example.com`); an entry
  with a port (`example.com:8080`) only that port; an entry with a scheme (`http://host`) only
  that scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

__all__ = ["DEFAULT_PORTS", "Proxy", "ProxyEnvironment"]

DEFAULT_PORTS = {"http": 80, "https": 443}


class Proxy(NamedTuple):
    """A proxy URL and the environment variable it came from (for error messages)."""

    url: str
    variable: str


class _Exemption(NamedTuple):
    scheme: str | None
    host: str  # lower-case, without a leading dot or brackets
    port: int | None
    network: object | None  # an ipaddress network for IP and CIDR entries


class ProxyEnvironment:
    """The proxy settings of an environment; `for_url` says which proxy a URL goes through."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        values: dict[str, tuple[str, str]] = {}
        # Upper-case first, then lower-case over it: lower-case wins (as curl and urllib).
        for upper in (True, False):
            for name, value in environ.items():
                if not name.lower().endswith("_proxy") or (name.isupper() != upper):
                    continue
                key = name[:-6].lower()
                if value.strip():
                    values[key] = (value.strip(), name)
                elif not upper:
                    values.pop(key, None)
        if "REQUEST_METHOD" in environ:
            values.pop("http", None)
        self._proxies: dict[str, Proxy] = {}
        for scheme in ("http", "https"):
            found = values.get(scheme) or values.get("all")
            if found is not None:
                url, variable = found
                self._proxies[scheme] = Proxy(url if "://" in url else f"http://{url}",
                                              variable)
        no_proxy = values.get("no", ("", ""))[0]
        entries = [entry.strip() for entry in no_proxy.split(",") if entry.strip()]
        self._everything_direct = "*" in entries
        self._exemptions = [_exemption(entry) for entry in entries if entry != "*"]

    def for_url(self, scheme: str, host: str, port: int | None) -> Proxy | None:
        """The proxy for a request to `scheme://host:port`, or None to connect directly."""
        proxy = self._proxies.get(scheme)
        if proxy is None or self._everything_direct:
            return None
        host = host.lower().strip("[]").rstrip(".")
        effective_port = port or DEFAULT_PORTS.get(scheme)
        address = None
        for exemption in self._exemptions:
            if exemption.scheme is not None and exemption.scheme != scheme:
                continue
            if exemption.port is not None and exemption.port != effective_port:
                continue
            if exemption.network is not None:
                if address is None:
                    address = _ip(host) or False
                if address and address in exemption.network:  # type: ignore[operator]
                    return None
            elif host == exemption.host or host.endswith("." + exemption.host):
                return None
        return proxy


def _exemption(entry: str) -> _Exemption:
    scheme = None
    if "://" in entry:
        scheme, entry = entry.split("://", 1)
        scheme = scheme.lower()
    entry = entry.rstrip("/").lower()
    port = None
    if entry.startswith("["):  # [v6] or [v6]:port
        host, _, rest = entry[1:].partition("]")
        if rest.startswith(":") and rest[1:].isdigit():
            port = int(rest[1:])
    elif entry.count(":") == 1:  # host:port (more colons: a bare IPv6 address)
        host, _, number = entry.partition(":")
        if number.isdigit():
            port = int(number)
        else:
            host = entry
    else:
        host = entry
    if host.startswith("*."):  # a wildcard some tools write: the same as a leading dot
        host = host[1:]
    host = host.lstrip(".").rstrip(".")
    network = None
    if host[:1].isdigit() or ":" in host:  # looks like an address: parse only then
        import ipaddress

        try:
            network = ipaddress.ip_network(host, strict=False)
        except ValueError:
            network = None
    return _Exemption(scheme, host, port, network)


def _ip(host: str) -> object | None:
    if not (host[:1].isdigit() or ":" in host):
        return None
    import ipaddress

    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None
