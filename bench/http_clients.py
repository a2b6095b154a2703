"""Compare async HTTP client libraries on many small parallel requests (issue 3's choice).

Run it in a scratch environment that has the candidates installed::

    python -m venv /tmp/httpbench
    /tmp/httpbench/bin/pip install "httpx[http2]" aiohttp niquests
    /tmp/httpbench/bin/python bench/http_clients.py --local          # 127.0.0.1, HTTP/1.1
    /tmp/httpbench/bin/python bench/http_clients.py --pypi           # pypi.org, HTTP/2 offered

`--local` serves small responses from a threaded server in this process' sibling process and
fetches `--requests` URLs with `--concurrency` in flight; `--pypi` fetches the PEP 691 JSON
simple pages of the projects in `../shared/requirements/trio.txt` (what a resolver does first).
Each client runs `--rounds` times, interleaved; the report gives the median wall time per
round and the import time of each library. The figures are recorded in docs/net.md.

This chose httpx at first. puv has since dropped httpx for httpcore (the connection layer
under httpx) with its own asyncio network backend, `src/puv/net/backend.py`: the same
connections for less CPU and import time. `bench/transport.py` measures puv's transport
itself (pages from pypi.org, local HTTP/1.1, import time, a cold `pip compile`); this script
stays for comparing libraries.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ACCEPT = "application/vnd.pypi.simple.v1+json"
TRIO = Path(__file__).resolve().parents[2] / "shared" / "requirements" / "trio.txt"

_SERVER = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = b'{"name": "x", "files": []}' * 40

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else headers and body stall on delayed ACKs
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
    def log_message(self, *args):
        pass

class S(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

server = S(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


async def with_httpx(urls: list[str], concurrency: int, http2: bool) -> int:
    import httpx

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(http2=http2, limits=limits) as client:
        gate = asyncio.Semaphore(concurrency)

        async def one(url: str) -> int:
            async with gate:
                response = await client.get(url, headers={"Accept": ACCEPT})
                return len(response.content)

        return sum(await asyncio.gather(*(one(u) for u in urls)))


async def with_aiohttp(urls: list[str], concurrency: int, http2: bool) -> int:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        gate = asyncio.Semaphore(concurrency)

        async def one(url: str) -> int:
            async with gate, session.get(url, headers={"Accept": ACCEPT}) as response:
                return len(await response.read())

        return sum(await asyncio.gather(*(one(u) for u in urls)))


async def with_niquests(urls: list[str], concurrency: int, http2: bool) -> int:
    import niquests

    async with niquests.AsyncSession(pool_maxsize=concurrency) as session:
        gate = asyncio.Semaphore(concurrency)

        async def one(url: str) -> int:
            async with gate:
                response = await session.get(url, headers={"Accept": ACCEPT})
                return len(response.content or b"")

        return sum(await asyncio.gather(*(one(u) for u in urls)))


CLIENTS = {
    "httpx": (with_httpx, False),
    "httpx+h2": (with_httpx, True),
    "aiohttp": (with_aiohttp, False),
    "niquests": (with_niquests, True),
}


def import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; " \
           "print((time.perf_counter() - t) * 1000)"
    samples = [float(subprocess.check_output([sys.executable, "-c", code]).strip())
               for _ in range(5)]
    return statistics.median(samples)


def trio_urls() -> list[str]:
    names = []
    for line in TRIO.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==", line.strip())
        if match:
            names.append(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return [f"https://pypi.org/simple/{name}/" for name in names]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--local", action="store_true")
    where.add_argument("--pypi", action="store_true")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("clients", nargs="*", default=list(CLIENTS))
    args = parser.parse_args()

    server = None
    if args.local:
        server = subprocess.Popen([sys.executable, "-c", _SERVER], stdout=subprocess.PIPE,
                                  text=True)
        assert server.stdout is not None
        port = int(server.stdout.readline())
        urls = [f"http://127.0.0.1:{port}/simple/p{i}/" for i in range(args.requests)]
    else:
        urls = trio_urls()
    try:
        times: dict[str, list[float]] = {name: [] for name in args.clients}
        for _ in range(args.rounds):
            for name in args.clients:
                func, http2 = CLIENTS[name]
                start = time.perf_counter()
                size = asyncio.run(func(urls, args.concurrency, http2))
                times[name].append((time.perf_counter() - start) * 1000)
                assert size > 0
    finally:
        if server is not None:
            server.kill()
    print(f"{len(urls)} requests, {args.concurrency} in flight, {args.rounds} rounds, "
          f"Python {sys.version.split()[0]}")
    print(f"{'client':10} {'median ms':>10} {'min ms':>8} {'import ms':>10}")
    for name, samples in times.items():
        module = name.split("+")[0]
        print(f"{name:10} {statistics.median(samples):10.1f} {min(samples):8.1f} "
              f"{import_ms(module):10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
