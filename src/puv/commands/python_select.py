"""Choosing the interpreter a command runs with: the request (`--python`, `UV_PYTHON`, the
nearest `.python-version`, the project's `requires-python`), then discovery."""

from __future__ import annotations

from puv.cache import Bucket, Cache
from puv.python.discovery import find_python
from puv.python.interpreter import Interpreter, query_interpreter
from puv.python.request import PythonRequest, VersionRequest, parse_request
from puv.python.version_file import find_version_file
from puv.workspace import checked_requires_python

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.settings import Settings
    from puv.workspace import PyProject

__all__ = ["Selection", "select_interpreter", "select_request"]


class Selection:
    __slots__ = ("origin", "request")

    def __init__(self, request: PythonRequest, origin: str) -> None:
        self.request = request
        self.origin = origin  # where the request came from, for messages


def select_request(explicit: str | None, *, project_dir: str,
                   project: PyProject | None) -> Selection:
    if explicit:
        return Selection(parse_request(explicit), "--python")
    stop = project.root if project is not None else None
    version_file = find_version_file(project_dir, stop=stop)
    if version_file is not None and version_file.first:
        return Selection(parse_request(version_file.first), version_file.path)
    requires_python = checked_requires_python(project) if project is not None else None
    if project is not None and requires_python is not None:
        request = PythonRequest("version", requires_python,
                                version=VersionRequest(specifier=requires_python))
        return Selection(request, f"requires-python in {project.path}")
    return Selection(PythonRequest("any"), "default")


def select_interpreter(selection: Selection, *, settings: Settings, cache: Cache,
                       project_dir: str, system: bool) -> Interpreter:
    """Find the interpreter; with `system`, never a virtual environment's own (its base
    interpreter is used instead, as `puv venv` needs)."""
    bucket = cache.bucket(Bucket.INTERPRETER)
    interpreter = find_python(selection.request, cache_dir=bucket, project_dir=project_dir,
                              environments=not system, preference=settings.python_preference)
    if system and interpreter.is_virtualenv and interpreter.base_executable is not None:
        interpreter = query_interpreter(interpreter.base_executable, bucket)
    return interpreter
