"""Measure puv's HTTP transport: CPU per page, import time, and a whole cold compile.

    python bench/transport.py pages [REQUIREMENTS] [--rounds 7]
    python bench/transport.py import [--runs 9]
    python bench/transport.py compile [REQUIREMENTS_IN] [--runs 5]
    python bench/transport.py local [--requests 2000] [--rounds 5]

`pages` fetches the simple page of every pin of REQUIREMENTS (default
`../shared/requirements/jupyter.txt`) from pypi.org through `HttpClient` and its default
transport, all at once over the transport's pooled connection(s), after one warm-up request:
per round, the wall time and the CPU time of this process (user + system, every thread). Both
are what the resolver pays: the network thread holds the GIL while it parses frames, decodes
and copies. `import` runs `python -X importtime -c "import puv.net.transport"` and reports the
cumulative time of that import. `compile` runs `puv pip compile -q REQUIREMENTS_IN -o <tmp>`
with a new, empty `--cache-dir` each run (cold: every page and every metadata file fetched).
`local` is HTTP/1.1 without TLS: `--requests` small answers from a threaded server in another
process on 127.0.0.1, 50 in flight (so up to 50 pooled connections), CPU and wall per round.
Each prints the median and the spread; docs/net.md records the figures, before and after a
change to `net/transport.py`, measured by this same script (it uses no class by name).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "requirements"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def names(path: str) -> list[str]:
    found = []
    with open(path) as handle:
        for line in handle:
            match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==", line)
            if match:
                found.append(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return found


def pages(path: str, rounds: int) -> None:
    from puv.index.simple import ACCEPT
    from puv.net.auth import CredentialStore
    from puv.net.client import HttpClient, HttpOptions

    urls = [f"https://pypi.org/simple/{name}/" for name in names(path)]

    async def main() -> list[tuple[float, float, int]]:
        http = HttpClient(HttpOptions(), CredentialStore(use_netrc=False))
        try:
            await http.get(urls[0], {"Accept": ACCEPT})  # connection and TLS set up
            results = []
            for _ in range(rounds):
                wall, cpu = time.perf_counter(), cpu_seconds()
                answers = await asyncio.gather(*(http.get(u, {"Accept": ACCEPT}) for u in urls))
                wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
                assert all(a.status == 200 for a in answers), [a.status for a in answers]
                results.append((wall, cpu, sum(len(a.content) for a in answers)))
            return results
        finally:
            await http.aclose()

    results = asyncio.run(main())
    walls = [r[0] * 1000 for r in results]
    cpus = [r[1] * 1000 for r in results]
    print(f"{len(urls)} pages, {results[0][2] / 1e6:.1f} MB decoded, {rounds} rounds, "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"wall ms: median {statistics.median(walls):.0f} (min {min(walls):.0f}, "
          f"max {max(walls):.0f})")
    print(f"CPU ms:  median {statistics.median(cpus):.0f} (min {min(cpus):.0f}, "
          f"max {max(cpus):.0f})")


_SERVER = r"""
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = b'<a href="a-1.0.tar.gz">a-1.0.tar.gz</a>\n' * 25

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
    def log_message(self, *args):
        pass

class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

server = Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def local(requests: int, rounds: int) -> None:
    from puv.net.auth import CredentialStore
    from puv.net.client import HttpClient, HttpOptions

    server = subprocess.Popen([sys.executable, "-c", _SERVER], stdout=subprocess.PIPE,
                              text=True)
    assert server.stdout is not None
    port = int(server.stdout.readline())
    urls = [f"http://127.0.0.1:{port}/simple/p{i}/" for i in range(requests)]

    async def main() -> list[tuple[float, float]]:
        http = HttpClient(HttpOptions(concurrency=50), CredentialStore(use_netrc=False))
        try:
            await http.get(urls[0])
            results = []
            for _ in range(rounds):
                wall, cpu = time.perf_counter(), cpu_seconds()
                answers = await asyncio.gather(*(http.get(u) for u in urls))
                results.append((time.perf_counter() - wall, cpu_seconds() - cpu))
                assert all(a.status == 200 for a in answers)
            return results
        finally:
            await http.aclose()

    try:
        results = asyncio.run(main())
    finally:
        server.kill()
    walls = [r[0] * 1000 for r in results]
    cpus = [r[1] * 1000 for r in results]
    print(f"{requests} local HTTP/1.1 requests, 50 in flight, {rounds} rounds, "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"wall ms: median {statistics.median(walls):.0f} (min {min(walls):.0f}, "
          f"max {max(walls):.0f})")
    print(f"CPU ms:  median {statistics.median(cpus):.0f} (min {min(cpus):.0f}, "
          f"max {max(cpus):.0f})")


def import_time(runs: int) -> None:
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-X", "importtime", "-c",
                              "import puv.net.transport"],
                             capture_output=True, text=True, check=True).stderr
        line = [row for row in out.splitlines() if row.rstrip().endswith("puv.net.transport")]
        samples.append(int(line[-1].split("|")[1]) / 1000)
    print(f"import puv.net.transport, {runs} runs, load {os.getloadavg()[0]:.2f}")
    print(f"ms: median {statistics.median(samples):.1f} (min {min(samples):.1f}, "
          f"max {max(samples):.1f})")


def compile_cold(path: str, runs: int) -> None:
    puv = [sys.executable, "-m", "puv"]
    samples = []
    with tempfile.TemporaryDirectory(prefix="puv-bench-") as scratch:
        for run in range(runs):
            cache = os.path.join(scratch, f"cache-{run}")
            start = time.perf_counter()
            subprocess.run([*puv, "pip", "compile", "-q", path, "-o",
                            os.path.join(scratch, "out.txt"), "--cache-dir", cache],
                           check=True, stdin=subprocess.DEVNULL)
            samples.append((time.perf_counter() - start) * 1000)
    print(f"puv pip compile {os.path.basename(path)}, cold cache, {runs} runs, "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"wall ms: median {statistics.median(samples):.0f} (min {min(samples):.0f}, "
          f"max {max(samples):.0f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("pages", "import", "compile", "local"))
    parser.add_argument("requirements", nargs="?")
    parser.add_argument("--rounds", type=int, help="default: 7 for pages, 5 for local")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    if args.what == "pages":
        pages(args.requirements or str(SHARED / "jupyter.txt"), args.rounds or 7)
    elif args.what == "local":
        local(args.requests, args.rounds or 5)
    elif args.what == "import":
        import_time(args.runs)
    else:
        compile_cold(args.requirements or str(SHARED / "jupyter.in"), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
