"""Helpers for build and distribution tests (no network anywhere).

- ``recording_project(directory, ...)``: a source tree whose in-tree backend
  (``_recording_backend.py``) logs every hook call, can lack ``prepare_metadata_*``, fail
  with given output, check that build requirements are installed, or take its time;
- ``make_sdist(tree, directory, ...)``: a ``.tar.gz`` of such a tree, with a ``PKG-INFO`` of the
  chosen Metadata-Version and ``Dynamic`` fields (or none);
- ``git_repository(directory)``: a local Git repository driven by ``git`` (``commit``, ``tag``,
  ``branch``), with a fixed identity and dates;
- ``FakeBuildContext(wheels, cache)``: a ``puv.types.BuildContext`` that "resolves" each
  requirement to the newest matching wheel of a directory (no transitive dependencies) and
  installs with puv's own installer. It records what it was asked.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BACKEND_SOURCE = Path(__file__).with_name("_recording_backend.py")


@dataclass
class RecordingProject:
    """A project built by the recording backend."""

    root: Path
    log: Path

    @property
    def config_path(self) -> Path:
        return self.root / "recording.json"

    def calls(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines() if line]

    def hooks(self) -> list[str]:
        return [call["hook"] for call in self.calls()]

    def configure(self, **changes: Any) -> None:
        config = json.loads(self.config_path.read_text())
        config.update(changes)
        self.config_path.write_text(json.dumps(config, indent=2))


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def recording_project(
    directory: Path,
    name: str = "rec",
    version: str = "1.0",
    *,
    dependencies: Sequence[str] = (),
    requires: Sequence[str] = (),
    static: bool = False,
    dynamic: Sequence[str] | None = None,
    prepare_metadata: bool = True,
    get_requires: Sequence[str] = (),
    needs: Sequence[str] = (),
    fail: Mapping[str, Mapping[str, Any]] | None = None,
    sleep: float = 0.0,
    log: Path | None = None,
    build_system: bool = True,
) -> RecordingProject:
    """Write a project into ``directory`` (created). ``static``: a complete ``[project]``
    table (no build needed for metadata); ``dynamic``: a ``[project]`` with these fields
    dynamic; neither: no ``[project]`` table at all."""
    directory.mkdir(parents=True, exist_ok=True)
    log = log or directory.parent / f"{directory.name}.log.jsonl"
    lines = []
    if build_system:
        lines += ["[build-system]", f"requires = {_toml_list(requires)}",
                  'build-backend = "_recording_backend"', 'backend-path = ["."]', ""]
    if static or dynamic is not None:
        lines += ["[project]", f"name = {json.dumps(name)}"]
        dynamic = list(dynamic or [])
        if "version" not in dynamic:
            lines.append(f"version = {json.dumps(version)}")
        if "dependencies" not in dynamic:
            lines.append(f"dependencies = {_toml_list(dependencies)}")
        if dynamic:
            lines.append(f"dynamic = {_toml_list(dynamic)}")
    (directory / "pyproject.toml").write_text("\n".join(lines) + "\n")
    shutil.copyfile(BACKEND_SOURCE, directory / "_recording_backend.py")
    config = {"name": name, "version": version, "dependencies": list(dependencies),
              "log": str(log), "prepare_metadata": prepare_metadata,
              "get_requires": list(get_requires), "needs": list(needs),
              "fail": dict(fail or {}), "sleep": sleep}
    (directory / "recording.json").write_text(json.dumps(config, indent=2))
    module = directory / canonicalize_name(name).replace("-", "_")
    module.mkdir(exist_ok=True)
    (module / "__init__.py").write_text(f"__version__ = {version!r}\n")
    return RecordingProject(directory, log)


def pkg_info(name: str, version: str, *, metadata_version: str = "2.1",
             dependencies: Sequence[str] = (), dynamic: Sequence[str] = ()) -> str:
    lines = [f"Metadata-Version: {metadata_version}", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {d}" for d in dependencies]
    lines += [f"Dynamic: {d}" for d in dynamic]
    return "\n".join(lines) + "\n"


def make_sdist(tree: Path, directory: Path, name: str, version: str, *,
               metadata: str | None = None) -> Path:
    """``<name>-<version>.tar.gz`` of ``tree`` under ``<name>-<version>/``, with ``metadata``
    as its ``PKG-INFO`` (none when ``None``). Deterministic."""
    base = f"{canonicalize_name(name).replace('-', '_')}-{version}"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{base}.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for file in sorted(p for p in tree.rglob("*") if p.is_file()):
            relative = file.relative_to(tree).as_posix()
            data = file.read_bytes()
            info = tarfile.TarInfo(f"{base}/{relative}")
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 315532800
            archive.addfile(info, io.BytesIO(data))
        if metadata is not None:
            data = metadata.encode()
            info = tarfile.TarInfo(f"{base}/PKG-INFO")
            info.size = len(data)
            info.mtime = 315532800
            archive.addfile(info, io.BytesIO(data))
    return path


_GIT_ENV = {
    "GIT_AUTHOR_NAME": "puv tests",
    "GIT_AUTHOR_EMAIL": "tests@puv.invalid",
    "GIT_COMMITTER_NAME": "puv tests",
    "GIT_COMMITTER_EMAIL": "tests@puv.invalid",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass
class GitRepository:
    """A local repository (``git`` command) for Git source tests."""

    path: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.path.as_uri()

    def git(self, *args: str) -> str:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        environ.update(_GIT_ENV)
        environ["HOME"] = str(self.path.parent)
        proc = subprocess.run(["git", *args], cwd=self.path, env=environ, check=True,
                              capture_output=True, text=True)
        return proc.stdout.strip()

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str) -> None:
        self.git("tag", name)

    def branch(self, name: str) -> None:
        self.git("checkout", "--quiet", "-b", name)

    def switch(self, name: str) -> None:
        self.git("checkout", "--quiet", name)


def git_repository(directory: Path) -> GitRepository:
    directory.mkdir(parents=True, exist_ok=True)
    repository = GitRepository(directory)
    repository.git("init", "--quiet", "--initial-branch=main")
    return repository


@dataclass(frozen=True)
class FakeResolution:
    requirements: tuple[str, ...]
    wheels: tuple[Path, ...]


class FakeBuildContext:
    """A `BuildContext` over a directory of wheels (see the module docstring)."""

    def __init__(self, wheels: Path, cache: Any) -> None:
        self.wheels = wheels
        self.cache = cache
        self.resolved: list[list[str]] = []
        self.installed: list[tuple[tuple[str, ...], str]] = []

    def resolve(self, requirements: Sequence[str], python: str) -> FakeResolution:
        from puv.core.filenames import parse_filename
        from puv.errors import PuvError

        self.resolved.append(list(requirements))
        pins: list[str] = []
        files: list[Path] = []
        for text in requirements:
            requirement = Requirement(text)
            name = canonicalize_name(requirement.name)
            found = []
            for path in self.wheels.glob("*.whl") if self.wheels.is_dir() else ():
                parsed = parse_filename(path.name)
                if parsed is not None and parsed.name == name and \
                        requirement.specifier.contains(parsed.version, prereleases=True):
                    found.append((parsed.version, path))
            if not found:
                raise PuvError(f"No solution found when resolving: `{requirement}` is not "
                               "in the test's wheel directory")
            version, path = max(found)
            pins.append(f"{name}=={version}")
            files.append(path)
        return FakeResolution(tuple(sorted(pins)), tuple(files))

    def install(self, resolution: FakeResolution, environment: str) -> None:
        from puv.cache import Bucket
        from puv.core.filenames import parse_filename
        from puv.installer.install import apply_plan
        from puv.installer.inventory import Inventory
        from puv.installer.layout import Layout
        from puv.installer.planner import Wanted, plan_install
        from puv.installer.preparer import Preparer
        from puv.python.discovery import venv_python
        from puv.python.interpreter import query_interpreter

        self.installed.append((resolution.requirements, environment))
        interpreter = query_interpreter(venv_python(environment),
                                        self.cache.bucket(Bucket.INTERPRETER))
        layout = Layout.for_interpreter(interpreter)
        wanted = []
        for path in resolution.wheels:
            parsed = parse_filename(path.name)
            assert parsed is not None
            wanted.append(Wanted(parsed.name, parsed.version, filename=path.name,
                                 path=str(path)))
        plan = plan_install(wanted, Inventory.scan(layout.site_packages))

        def no_registry() -> Any:
            raise AssertionError("the fake build context has no registry")

        unpacked = Preparer(self.cache, no_registry).prepare(plan.install)
        apply_plan(plan, unpacked, layout)
