"""`puv python find`, `puv python list`, `puv python pin`."""

from __future__ import annotations

import os

from puv.cache import Bucket, Cache
from puv.commands.python_select import select_interpreter, select_request
from puv.errors import PuvError, PythonNotFound
from puv.fs import write_atomic
from puv.python.discovery import find_all, find_python
from puv.python.request import VersionRequest, parse_request
from puv.python.version_file import FILE_NAME, find_version_file, user_version_file_path
from puv.workspace import checked_requires_python, find_project

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.python.request import PythonVersion
    from puv.settings import Settings
    from puv.types import Console

__all__ = ["python_find", "python_list", "python_pin"]


def python_find(*, request: str | None, system: bool, no_project: bool, settings: Settings,
                cache: Cache, console: Console, project_dir: str) -> int:
    project = None if no_project else find_project(project_dir)
    selection = select_request(request or settings.python, project_dir=project_dir,
                               project=project)
    interpreter = select_interpreter(selection, settings=settings, cache=cache,
                                     project_dir=project_dir, system=system)
    console.result(interpreter.path)
    return 0


def python_list(*, request: str | None, all_versions: bool, output_format: str,
                settings: Settings, cache: Cache, console: Console, project_dir: str) -> int:
    parsed = parse_request(request) if request else None
    found = find_all(cache_dir=cache.bucket(Bucket.INTERPRETER), project_dir=project_dir,
                     request=parsed, preference=settings.python_preference)
    found.sort(key=lambda item: (item[0].implementation != "cpython", -_order(item[0].version),
                                 item[0].path))
    if not all_versions:
        # One line per version and variant, as uv shows it (the first found wins).
        seen: set[str] = set()
        unique = []
        for item in found:
            if item[0].key not in seen:
                seen.add(item[0].key)
                unique.append(item)
        found = unique
    if output_format == "json":
        import json

        rows = [
            {
                "key": i.key,
                "version": str(i.version),
                "version_parts": {"major": i.version.major, "minor": i.version.minor,
                                  "patch": i.version.micro},
                "path": i.path,
                "symlink": os.path.realpath(i.path) if os.path.islink(i.path) else None,
                "implementation": i.implementation,
                "variant": "freethreaded" if i.gil_disabled else "default",
                "os": i.markers.get("platform_system", "").lower(),
                "arch": i.markers.get("platform_machine", ""),
                "source": c.source,
            }
            for i, c in found
        ]
        console.result(json.dumps(rows))
        return 0
    width = max((len(i.key) for i, _ in found), default=0) + 4
    for interpreter, _candidate in found:
        path = interpreter.path
        if os.path.islink(path):
            path += " -> " + os.readlink(interpreter.path)
        console.result(interpreter.key.ljust(width) + path)
    return 0


def _order(version: PythonVersion) -> int:
    return version.major * 1_000_000 + version.minor * 1000 + version.micro


def python_pin(*, request: str | None, resolved: bool, global_: bool, no_project: bool,
               settings: Settings, cache: Cache, console: Console, project_dir: str) -> int:
    project = None if no_project or global_ else find_project(project_dir)
    target = user_version_file_path() if global_ else os.path.join(
        project.root if project is not None else project_dir, FILE_NAME)
    existing = find_version_file(project_dir) if not global_ else None
    if global_ and os.path.isfile(target):
        from puv.python.version_file import read_version_file

        existing = read_version_file(target)
    if request is None:
        if existing is None or existing.first is None:
            raise PuvError("No pinned Python version found",
                           hint="pin one with `puv python pin 3.12`")
        console.result(existing.first)
        return 0
    parsed = parse_request(request)
    if parsed.kind == "executable":
        raise PuvError(
            f"Requests for arbitrary names (e.g., `{request}`) are not supported in version "
            "files",
            hint="pin a version (`3.12`), an implementation (`cpython@3.12`) or a path",
        )
    pin = request
    try:
        interpreter = find_python(parsed, cache_dir=cache.bucket(Bucket.INTERPRETER),
                                  project_dir=project_dir,
                                  preference=settings.python_preference)
    except PythonNotFound as exc:
        if resolved or parsed.kind == "path":
            raise
        console.warning(exc.message)
        interpreter = None
    if interpreter is not None:
        if resolved:
            pin = interpreter.path if parsed.kind == "path" else str(interpreter.version)
        requires_python = checked_requires_python(project) if project is not None else None
        if requires_python is not None and not (
            VersionRequest(specifier=requires_python).matches(interpreter.version)
        ):
            console.warning(
                f"The requested Python version `{request}` is incompatible with the project's "
                f"`requires-python` value of `{requires_python}`"
            )
    old = existing.first if existing is not None and existing.path == target else None
    shown = "`.python-version`" if not global_ else f"`{target}`"
    if old == pin:
        console.status(f"{shown} is already pinned to `{pin}`")
        return 0
    write_atomic(target, pin + "\n")
    if old is None:
        console.status(f"Pinned {shown} to `{pin}`")
    else:
        console.status(f"Updated {shown} from `{old}` -> `{pin}`")
    return 0
