"""Workspace discovery and the project read model (`puv.workspace.project`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from puv.errors import SettingsError
from puv.workspace.project import ProjectNotFound, discover_workspace


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_single_project(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", """
[project]
name = "My_App"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["alpha>=1", "beta; sys_platform == 'linux'"]

[project.optional-dependencies]
Fast = ["gamma"]

[dependency-groups]
dev = ["pytest"]
lint = [{include-group = "dev"}, "ruff"]

[tool.uv]
dev-dependencies = ["legacy"]

[tool.uv.sources]
alpha = { path = "../alpha", editable = true }
beta = [
  { index = "cpu", marker = "sys_platform == 'linux'" },
  { index = "gpu", extra = "fast" },
]
""")
    (tmp_path / "src").mkdir()
    workspace = discover_workspace(str(tmp_path / "src"))
    assert workspace.root == str(tmp_path)
    member = workspace.current
    assert member is not None and workspace.members == (member,)
    assert member.name == "my-app" and member.display_name == "My_App"
    assert [str(r) for r in member.dependencies] == [
        "alpha>=1", 'beta; sys_platform == "linux"']
    assert list(member.optional_dependencies) == ["fast"]
    assert [str(r) for r in member.dependency_groups["lint"]] == ["pytest", "ruff"]
    assert [str(r) for r in member.dependency_groups["dev"]] == ["pytest", "legacy"]
    assert member.sources["alpha"][0].kind == "path"
    assert member.sources["alpha"][0].options == {"editable": True}
    assert [s.location for s in member.sources["beta"]] == ["cpu", "gpu"]
    assert member.sources["beta"][1].extra == "fast"
    assert not member.is_package
    assert workspace.requires_python == ">=3.10"
    assert workspace.default_groups == ("dev",)


def test_virtual_root_without_project(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.black]\nline-length = 100\n")
    workspace = discover_workspace(str(tmp_path))
    assert workspace.is_virtual_root and workspace.members == () and workspace.current is None


def test_member_finds_its_workspace_root(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", """
[project]
name = "root"
version = "1"
requires-python = ">=3.9"
[tool.uv.workspace]
members = ["packages/*"]
exclude = ["packages/skip"]
""")
    _write(tmp_path / "packages/a/pyproject.toml",
           '[project]\nname = "a"\nversion = "1"\nrequires-python = ">=3.11"\n')
    _write(tmp_path / "packages/skip/pyproject.toml", '[project]\nname = "skip"\nversion = "1"\n')
    workspace = discover_workspace(str(tmp_path / "packages/a"))
    assert workspace.root == str(tmp_path)
    assert [m.name for m in workspace.members] == ["root", "a"]
    assert workspace.current is not None and workspace.current.name == "a"
    assert workspace.requires_python == ">=3.11,>=3.9"
    # An excluded project is a workspace of its own.
    alone = discover_workspace(str(tmp_path / "packages/skip"))
    assert alone.root == str(tmp_path / "packages/skip")


def test_not_found(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFound, match=r"No `pyproject\.toml` found"):
        discover_workspace(str(tmp_path))


def test_group_cycle_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", """
[project]
name = "x"
version = "1"
[dependency-groups]
a = [{include-group = "b"}]
b = [{include-group = "a"}]
""")
    with pytest.raises(SettingsError, match="cycle"):
        discover_workspace(str(tmp_path))
