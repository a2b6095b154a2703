"""`--compile-bytecode`: compile the environment's Python files with its own interpreter.

As uv does, every `.py` file in site-packages is compiled (already compiled files are
skipped by the interpreter), by the target interpreter in worker processes, so the `.pyc`
files match its version. Files that do not compile (Python 2 leftovers in some sdists) are
passed over silently, as pip and uv do.
"""

from __future__ import annotations

import os
import subprocess

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.installer.layout import Layout

__all__ = ["compile_bytecode"]

_SCRIPT = """
import compileall, functools, sys
from concurrent.futures import ProcessPoolExecutor
paths = sys.stdin.read().splitlines()
compile_one = functools.partial(compileall.compile_file, quiet=2)
if len(paths) < 64:
    results = list(map(compile_one, paths))
else:
    with ProcessPoolExecutor() as pool:
        results = list(pool.map(compile_one, paths, chunksize=64))
sys.stdout.write(str(sum(1 for ok in results if ok)))
"""


def compile_bytecode(layout: Layout) -> int:
    """Compile every `.py` file under the layout's site-packages; the number compiled."""
    paths: list[str] = []
    for directory in layout.site_packages:
        for root, dirs, names in os.walk(directory):
            dirs[:] = [d for d in dirs if not d.startswith(".puv-tx-")]
            paths.extend(os.path.join(root, n) for n in names if n.endswith(".py"))
    if not paths:
        return 0
    proc = subprocess.run([layout.interpreter.executable, "-E", "-s", "-c", _SCRIPT],
                          input="\n".join(paths), capture_output=True, text=True, check=False)
    try:
        return int(proc.stdout.strip() or 0)
    except ValueError:
        return 0
