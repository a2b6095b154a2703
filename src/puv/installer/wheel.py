"""Placing an unpacked wheel into a transaction's staging area, as the wheel and
installed-project specifications say (PEP 427, 491, 376, 610, 627).

- files at the wheel's root go to purelib or platlib (`Root-Is-Purelib`); files under
  `name-1.0.data/<scheme>/` go to that scheme's directory (`purelib`, `platlib`, `scripts`,
  `data`, and `headers`, which is `include/site/pythonX.Y/<name>/`);
- files are linked from the cache (`--link-mode`), except those that must be rewritten:
  scripts whose first line is `#!python` get the environment's interpreter, and entry points
  (`console_scripts`, `gui_scripts`) become small launcher scripts;
- the `.dist-info` gets a new `RECORD` (with the hashes and sizes of what was placed, paths
  relative to site-packages), `INSTALLER` (`puv`), `REQUESTED` for a package asked for by
  name, and `direct_url.json` for URL, path and editable installs.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os

from puv.errors import WheelError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from puv.fs.link import Linker
    from puv.installer.archive import UnpackedWheel
    from puv.installer.layout import Layout
    from puv.installer.transaction import Transaction

__all__ = ["launcher_script", "shebang", "stage_wheel"]

# Files of the wheel's .dist-info that the installer writes itself.
_WRITTEN = frozenset({"RECORD", "INSTALLER", "REQUESTED", "direct_url.json", "RECORD.jws",
                      "RECORD.p7s"})
_SCHEMES = ("purelib", "platlib", "scripts", "data", "headers")


def shebang(python: str) -> bytes:
    """The first line(s) of a script run by `python`. A path with spaces, or longer than the
    kernel reads (127 bytes), goes through `/bin/sh`, which then runs the script with it."""
    if " " not in python and len(python) <= 125:
        return f"#!{python}\n".encode()
    quoted = "'" + python.replace("'", "'\"'\"'") + "'"
    return f"#!/bin/sh\n'''exec' {quoted} \"$0\" \"$@\"\n' '''\n".encode()


def launcher_script(python: str, target: str) -> bytes:
    """A console script calling `target` (`module:attr.path`, PEP 621 entry point syntax)."""
    spec = target.split("[", 1)[0].strip()  # extras (`mod:func [extra]`) change nothing here
    module, _, attribute = spec.partition(":")
    module, attribute = module.strip(), attribute.strip()
    if attribute:
        head = attribute.split(".", 1)[0]
        body = (f"from {module} import {head}\n"
                f"main = {attribute}\n")
    else:
        body = f"import importlib\nmain = importlib.import_module({module!r})\n"
    return shebang(python) + (
        "import sys\n"
        f"{body}"
        "if __name__ == '__main__':\n"
        "    if sys.argv[0].endswith('.exe'):\n"
        "        sys.argv[0] = sys.argv[0][:-4]\n"
        "    sys.exit(main())\n"
    ).encode()


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(
        b"=").decode()


class _Stager:
    """Places the files of one wheel; remembers what it placed, for RECORD."""

    def __init__(self, tx: Transaction, layout: Layout, linker: Linker,
                 unpacked: UnpackedWheel) -> None:
        self.tx = tx
        self.layout = layout
        self.linker = linker
        self.unpacked = unpacked
        self.site_packages = layout.purelib if unpacked.root_is_purelib else layout.platlib
        self.record: list[tuple[str, str, str]] = []
        self._made: set[str] = set()

    def _staged(self, destination: str, relative: str) -> str:
        path = os.path.join(self.tx.stage_for(destination), relative)
        parent = os.path.dirname(path)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return path

    def _remember(self, destination: str, relative: str, digest: str, size: int) -> None:
        final = os.path.join(destination, relative)
        shown = relative if destination == self.site_packages else os.path.relpath(
            final, self.site_packages)
        self.record.append((shown.replace(os.sep, "/"), digest, str(size)))

    def link(self, source: str, destination: str, relative: str, digest: str,
             size: int) -> None:
        staged = self._staged(destination, relative)
        try:
            self.linker.link(source, staged)
        except FileExistsError:
            # Two wheels ship the same file (an old-style namespace `__init__.py`): the
            # later one wins, as with pip and uv.
            os.unlink(staged)
            self.linker.link(source, staged)
        self._remember(destination, relative, digest, size)

    def write(self, destination: str, relative: str, data: bytes, *,
              executable: bool = False) -> None:
        path = self._staged(destination, relative)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o755 if executable else 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        self._remember(destination, relative, _digest(data), len(data))

    def destination(self, path: str) -> tuple[str, str, str | None]:
        """(directory, path within it, scheme) of a file of the wheel."""
        data_prefix = self.unpacked.data_dir + "/"
        if not path.startswith(data_prefix):
            return self.site_packages, path, None
        scheme, _, rest = path[len(data_prefix):].partition("/")
        if scheme not in _SCHEMES or not rest:
            raise WheelError(
                f"The wheel `{self.unpacked.filename}` is invalid: `{path}` is in an unknown "
                f"`.data` directory (`{scheme}`); expected one of {', '.join(_SCHEMES)}")
        if scheme == "headers":
            return os.path.join(self.layout.include, self.unpacked.name), rest, scheme
        return getattr(self.layout, scheme), rest, scheme


def stage_wheel(unpacked: UnpackedWheel, tx: Transaction, layout: Layout, linker: Linker, *,
                requested: bool = False, direct_url: dict[str, Any] | None = None) -> int:
    """Stage every file of `unpacked` for `layout`; the number of files placed."""
    stager = _Stager(tx, layout, linker, unpacked)
    dist_info = unpacked.dist_info
    data_dir = unpacked.data_dir
    files_dir = unpacked.files_dir
    site = stager.site_packages
    # The files at the wheel's root (nearly all of them) take a short path: their directories
    # are made once, parents first, and each file is one link and one RECORD row.
    stage = tx.stage_for(site)
    for directory in unpacked.dirs:
        if directory != data_dir and not directory.startswith(f"{data_dir}/"):
            try:
                os.mkdir(f"{stage}/{directory}")
            except FileExistsError:
                pass  # another wheel's (a namespace package)
    skipped = {f"{dist_info}/{name}" for name in _WRITTEN}
    data_prefix = data_dir + "/"
    link = linker.link
    rows = stager.record
    for path, digest, size, _executable in unpacked.files:
        if path.startswith(data_prefix):
            directory, relative, scheme = stager.destination(path)
            source = f"{files_dir}/{path}"
            if scheme == "scripts":
                _stage_script(stager, source, directory, relative)
            else:
                stager.link(source, directory, relative, digest, size)
            continue
        if path in skipped:
            continue
        target = f"{stage}/{path}"
        try:
            link(f"{files_dir}/{path}", target)
        except FileExistsError:
            # Two wheels ship the same file (an old-style namespace `__init__.py`): the
            # later one wins, as with pip and uv.
            os.unlink(target)
            link(f"{files_dir}/{path}", target)
        rows.append((path, digest, str(size)))
    for _group, name, target in unpacked.entry_points:
        stager.write(layout.scripts, name, launcher_script(layout.python, target),
                     executable=True)
    stager.write(site, f"{dist_info}/INSTALLER", b"puv\n")
    if requested:
        stager.write(site, f"{dist_info}/REQUESTED", b"")
    if direct_url is not None:
        stager.write(site, f"{dist_info}/direct_url.json",
                     json.dumps(direct_url, sort_keys=True).encode())
    rows.append((f"{dist_info}/RECORD", "", ""))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = os.path.join(tx.stage_for(site), dist_info, "RECORD")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(out.getvalue())
    return len(rows)


def _stage_script(stager: _Stager, source: str, directory: str, relative: str) -> None:
    """A script of the wheel's `.data/scripts/`: `#!python` becomes the environment's
    interpreter; every script is written (not linked) and executable."""
    with open(source, "rb") as handle:
        data = handle.read()
    if data.startswith(b"#!python"):
        _first, newline, rest = data.partition(b"\n")
        # `#!pythonw` (a GUI script) runs with the same interpreter on POSIX.
        data = shebang(stager.layout.python) + rest if newline else shebang(
            stager.layout.python)
    stager.write(directory, relative, data, executable=True)
