"""Projects and workspaces: the read model of `pyproject.toml` (`pyproject.py`)."""

from puv.workspace.pyproject import (
    PyProject,
    checked_requires_python,
    find_project,
    read_pyproject,
)

__all__ = ["PyProject", "checked_requires_python", "find_project", "read_pyproject"]
