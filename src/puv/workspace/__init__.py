"""Projects and workspaces: the read model of `pyproject.toml` (`pyproject.py`)."""

from puv.workspace.pyproject import PyProject, find_project, read_pyproject

__all__ = ["PyProject", "find_project", "read_pyproject"]
