"""The real `puv pip sync` and `puv pip uninstall` on local wheels: unsafe wheels are refused
with nothing changed anywhere, a failed or killed install leaves (or gets back) the previous
environment, concurrent installs serialize, and uninstall stays inside the environment."""

from __future__ import annotations

import csv
import os
import platform
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Result, Runner, assert_clean_error, puv_command
from tests.installer.test_archive import PROBLEMS
from tests.installer.trees import Tree, snapshot, stray_files
from tests.support.wheels import (
    BAD_WHEELS,
    FOREIGN,
    BadWheel,
    WheelSpec,
    build_wheel,
    record_hash,
)

PY = f"python{sys.version_info.major}.{sys.version_info.minor}"


def spec(name: str, version: str, **extra: object) -> WheelSpec:
    """A small package with a module, a data file, a header and a console script."""
    module = name.replace("-", "_")
    return WheelSpec(
        name, version,
        files={f"{module}/mod.py": f"VERSION = {version!r}\n",
               f"{module}-{version}.data/data/share/{name}/note.txt": f"{name} {version}\n",
               f"{module}-{version}.data/headers/{module}.h": f"int {module};\n"},
        entry_points={"console_scripts": {f"{name}-cmd": f"{module}:main"}},
        **extra,  # type: ignore[arg-type]
    )


class Env:
    """A virtual environment made by `puv venv`, synced from requirements files of wheels."""

    def __init__(self, puv: Runner, root: Path, cache: Path) -> None:
        self.puv = puv
        self.root = root
        self.work = root / "work"
        self.venv = self.work / ".venv"
        self.wheels = root / "wheels"
        self.cache = cache
        self.sentinel = root / "sentinel"
        self.sentinel.mkdir()
        (self.sentinel / "keep.txt").write_text("untouched\n")
        result = self.run("venv", "--python", sys.executable)
        assert result.returncode == 0, result
        self.site = self.venv / "lib" / PY / "site-packages"
        assert self.site.is_dir()

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return self.puv(*args, env={"UV_CACHE_DIR": str(self.cache), **(env or {})})

    def wheel(self, wheel_spec: WheelSpec) -> Path:
        return build_wheel(wheel_spec, self.wheels / f"{wheel_spec.name}-{wheel_spec.version}")

    def requirements(self, name: str, *wheels: Path) -> Path:
        path = self.work / name
        path.write_text("".join(f"{wheel}\n" for wheel in wheels))
        return path

    def sync(self, requirements: Path, env: dict[str, str] | None = None) -> Result:
        return self.run("pip", "sync", str(requirements), env=env)

    def tree(self) -> Tree:
        """Everything but the cache: the environment, the wheels, the sentinel, the home."""
        return snapshot(self.root, skip=("cache",))

    def installed(self) -> set[tuple[str, str]]:
        found = set()
        for entry in os.listdir(self.site):
            if entry.endswith(".dist-info"):
                name, version = entry[: -len(".dist-info")].rsplit("-", 1)
                found.add((name, version))
        return found


@pytest.fixture
def env(puv: Runner, tmp_path: Path) -> Env:
    return Env(puv, tmp_path, tmp_path / "cache")


def assert_records_valid(env: Env) -> None:
    """Every installed RECORD lists files that exist with the listed hash and size."""
    for entry in os.listdir(env.site):
        if not entry.endswith(".dist-info"):
            continue
        with open(env.site / entry / "RECORD", newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert rows, entry
        for path, digest, size in rows:
            target = os.path.normpath(env.site / path)
            assert os.path.isfile(target), (entry, path)
            if digest:
                data = Path(target).read_bytes()
                assert (digest, size) == (record_hash(data), str(len(data))), (entry, path)


def assert_no_archive_entry(env: Env, name: str = "evil") -> None:
    bucket = env.cache / "archive-v1"
    assert bucket.is_dir()  # the good package installed first is there
    assert any(bucket.iterdir())
    if (bucket / name).exists():
        assert list((bucket / name).iterdir()) == []
    assert stray_files(bucket, ".tmp") == []


# -- unsafe wheels -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_WHEELS, ids=lambda bad: bad.id)
def test_unsafe_wheel_is_refused_and_nothing_changes(bad: BadWheel, env: Env) -> None:
    good = env.requirements("good.txt", env.wheel(spec("good", "1.0")))
    assert env.sync(good).returncode == 0
    wheel = bad.build(env.wheels / "bad")
    requirements = env.requirements("bad.txt", wheel)
    before = env.tree()
    outside = {p: os.path.lexists(p) for p in ("/tmp/escape.py", "/tmp/x.py", "/evil")}

    result = env.sync(requirements)

    stderr = assert_clean_error(result)
    assert wheel.name in stderr, stderr
    if bad.requirement == FOREIGN:
        assert "cannot be installed" in stderr, stderr
    else:
        assert PROBLEMS[bad.id] in stderr, stderr
    assert env.tree() == before
    assert env.installed() == {("good", "1.0")}
    assert stray_files(env.root, ".puv-tx-") == []
    assert_no_archive_entry(env)
    assert {p: os.path.lexists(p) for p in outside} == outside


def test_wheel_for_another_platform_names_its_tag_and_the_interpreter(env: Env) -> None:
    wheel = env.wheel(WheelSpec("evil", "1.0", tag="cp39-cp39-win_amd64",
                                root_is_purelib=False))
    result = env.sync(env.requirements("req.txt", wheel))
    stderr = assert_clean_error(result)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert (f"`evil-1.0-cp39-cp39-win_amd64.whl` is built for CPython 3.9 on Windows x86-64 "
            f"(`cp39-cp39-win_amd64`), but the target interpreter is CPython {version} on "
            f"linux-{platform.machine()}") in stderr, stderr
    assert "req.txt`, line 1" in stderr
    assert env.installed() == set()


# -- failures and crashes in the middle of a commit ----------------------------------------


@pytest.fixture
def upgrade(env: Env) -> tuple[Path, Path, Tree]:
    """A 1.0 installed; the requirements for it, for A 2.0 + B, and the tree with A 1.0."""
    old = env.requirements("old.txt", env.wheel(spec("a", "1.0")))
    new = env.requirements("new.txt", env.wheel(spec("a", "2.0")), env.wheel(spec("b", "1.0")))
    result = env.sync(old)
    assert result.returncode == 0, result
    assert env.installed() == {("a", "1.0")}
    return old, new, env.tree()


@pytest.mark.parametrize("after_ops", [0, 3, 9, 15, 20, 23])  # of 24 operations
def test_failure_mid_install_leaves_the_previous_environment(
        after_ops: int, env: Env, upgrade: tuple[Path, Path, Tree]) -> None:
    _old, new, before = upgrade
    result = env.sync(new, env={"PUV_TEST_FAIL_AFTER_OPS": str(after_ops)})
    stderr = assert_clean_error(result)
    assert (f"error: Failed to change the environment at `{env.venv}`: simulated failure "
            "(PUV_TEST_FAIL_AFTER_OPS); it was left as it was") in stderr
    assert env.tree() == before
    assert env.installed() == {("a", "1.0")}
    # Nothing was left to recover: the next sync goes straight through.
    result = env.sync(new)
    assert result.returncode == 0, result
    assert env.installed() == {("a", "2.0"), ("b", "1.0")}
    assert_records_valid(env)


@pytest.mark.parametrize("after_ops", [0, 3, 9, 15, 20, 23])  # of 24 operations
def test_killed_install_is_rolled_back_by_the_next_command(
        after_ops: int, env: Env, upgrade: tuple[Path, Path, Tree]) -> None:
    old, new, before = upgrade
    result = env.sync(new, env={"PUV_TEST_KILL_AFTER_OPS": str(after_ops)})
    assert result.returncode == -signal.SIGKILL, result
    assert stray_files(env.site, ".puv-tx-") != []  # the crash left its journal

    result = env.sync(old)
    assert result.returncode == 0, result
    assert "Checked 1 package" in result.stderr, result.stderr
    assert env.tree() == before
    assert stray_files(env.root, ".puv-tx-") == []

    result = env.sync(new)
    assert result.returncode == 0, result
    assert "Installed 2 packages" in result.stderr
    assert env.installed() == {("a", "2.0"), ("b", "1.0")}
    assert_records_valid(env)
    assert (env.venv / "bin" / "a-cmd").is_file()
    assert (env.venv / "share" / "a" / "note.txt").read_text() == "a 2.0\n"
    assert (env.venv / "include" / "site" / PY / "b" / "b.h").is_file()


def test_wheel_refused_while_staging_changes_nothing(env: Env) -> None:
    """A wheel that unpacks but cannot be placed (an unknown `.data` scheme)."""
    assert env.sync(env.requirements("good.txt", env.wheel(spec("good", "1.0")))).returncode == 0
    odd = env.wheel(WheelSpec("odd", "1.0", files={"odd-1.0.data/unknown/x": "x"}))
    requirements = env.requirements("odd.txt", env.wheel(spec("other", "1.0")), odd)
    before = env.tree()
    stderr = assert_clean_error(env.sync(requirements))
    assert ("error: The wheel `odd-1.0-py3-none-any.whl` is invalid: `odd-1.0.data/unknown/x` "
            "is in an unknown `.data` directory (`unknown`)") in stderr, stderr
    assert env.tree() == before
    assert stray_files(env.root, ".puv-tx-") == []


def test_install_completes_when_the_hook_is_past_the_last_operation(
        env: Env, upgrade: tuple[Path, Path, Tree]) -> None:
    """The hooks count operations: past the last one, nothing fails (so the cases above
    really stopped inside the commit)."""
    _old, new, _before = upgrade
    result = env.sync(new, env={"PUV_TEST_FAIL_AFTER_OPS": "1000"})
    assert result.returncode == 0, result
    assert env.installed() == {("a", "2.0"), ("b", "1.0")}


# -- concurrency ---------------------------------------------------------------------------


def test_concurrent_syncs_into_one_environment_serialize(
        env: Env, isolated_env: dict[str, str]) -> None:
    wheels = {key: env.wheel(spec(name, version)) for key, (name, version) in {
        "a1": ("a", "1.0"), "a2": ("a", "2.0"), "b": ("b", "1.0"), "c": ("c", "1.0"),
        "d": ("d", "1.0")}.items()}
    sets = {
        "one.txt": ("a1", "b"),
        "two.txt": ("a2", "c"),
        "three.txt": ("b", "c", "d"),
    }
    expected = {name: {(wheels[k].name.split("-")[0], wheels[k].name.split("-")[1])
                       for k in keys} for name, keys in sets.items()}
    files = {name: env.requirements(name, *(wheels[k] for k in keys))
             for name, keys in sets.items()}
    process_env = {**isolated_env, "UV_CACHE_DIR": str(env.cache)}
    processes = [
        subprocess.Popen([*puv_command(), "pip", "sync", str(path)], cwd=env.work,
                         env=process_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for path in files.values()
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (_stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
    installed = env.installed()
    assert installed in expected.values(), installed
    assert_records_valid(env)
    assert stray_files(env.root, ".puv-tx-") == []
    freeze = env.run("pip", "freeze")
    assert freeze.returncode == 0, freeze
    listed = {re.split(r"==| @ ", line)[0] for line in freeze.stdout.splitlines()}
    assert listed == {name for name, _ in installed}
    # Every top-level module and script of exactly those packages, nothing else.
    modules = {p for p in os.listdir(env.site) if not p.endswith(".dist-info")
               and not p.startswith(("_", "."))}
    assert modules == {name for name, _ in installed}
    scripts = {p for p in os.listdir(env.venv / "bin") if p.endswith("-cmd")}
    assert scripts == {f"{name}-cmd" for name, _ in installed}


# -- uninstall -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["uninstall", "sync"])
def test_uninstall_never_removes_files_outside_the_environment(command: str, env: Env) -> None:
    """`pip uninstall a`, or a `pip sync` that drops `a`."""
    result = env.sync(env.requirements("req.txt", env.wheel(spec("a", "1.0"))))
    assert result.returncode == 0, result
    other = env.requirements("other.txt", env.wheel(spec("other", "1.0")))
    outside = env.root / "outside.txt"
    outside.write_text("outside\n")
    absolute = env.sentinel / "absolute.txt"
    absolute.write_text("absolute\n")
    linked = env.sentinel / "through-link.txt"
    linked.write_text("through a symlink\n")
    (env.site / "a" / "escape").symlink_to(env.sentinel)
    record = env.site / "a-1.0.dist-info" / "RECORD"
    # site-packages is root/work/.venv/lib/pythonX.Y/site-packages: five `..` reach root.
    assert (env.site / "../../../../../outside.txt").resolve() == outside
    with open(record, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([
            ["../../../../../outside.txt", "", ""],
            [str(absolute), "", ""],
            ["a/escape/through-link.txt", "", ""],
            ["a/escape/keep.txt", "", ""],
        ])
    before = snapshot(env.root, skip=("cache", "work"))

    result = env.run("pip", "uninstall", "a") if command == "uninstall" else env.sync(other)

    assert result.returncode == 0, result
    assert "Uninstalled 1 package" in result.stderr
    assert snapshot(env.root, skip=("cache", "work")) == before
    assert not (env.site / "a-1.0.dist-info").exists()
    assert not (env.site / "a" / "mod.py").exists()
    assert not (env.venv / "bin" / "a-cmd").exists()
    assert env.installed() == (set() if command == "uninstall" else {("other", "1.0")})


def test_journal_shipped_in_a_wheel_is_never_replayed(env: Env) -> None:
    """A wheel can put `.puv-tx-*/journal.json` into site-packages, where the next command
    looks for interrupted transactions: replaying it must not touch the outside."""
    import json

    stolen = env.root / "stolen.txt"
    ops = [["mv", str(stolen), str(env.sentinel / "keep.txt"), None]]
    sneaky = WheelSpec("sneaky", "1.0", files={".puv-tx-1-abcd/journal.json": json.dumps(ops)})
    result = env.sync(env.requirements("sneaky.txt", env.wheel(sneaky)))
    assert result.returncode == 0, result
    good = env.requirements("good.txt", env.wheel(spec("good", "1.0")))
    before = snapshot(env.root, skip=("cache", "work"))

    result = env.sync(good)

    assert result.returncode == 0, result
    assert snapshot(env.root, skip=("cache", "work")) == before
    assert (env.sentinel / "keep.txt").read_text() == "untouched\n"
    assert env.installed() == {("good", "1.0")}
    assert stray_files(env.site, ".puv-tx-") == []


def test_console_script_named_python_never_replaces_the_interpreter(env: Env) -> None:
    assert env.sync(env.requirements("good.txt", env.wheel(spec("good", "1.0")))).returncode == 0
    python = env.venv / "bin" / "python"
    target = os.readlink(python)
    wheel = env.wheel(WheelSpec("evil", "1.0",
                                entry_points={"console_scripts": {"python": "evil:main"}}))
    requirements = env.requirements("req.txt", wheel)
    before = env.tree()
    stderr = assert_clean_error(env.sync(requirements))
    assert "its entry point `python` would replace the environment's Python interpreter" in stderr
    assert env.tree() == before
    assert os.readlink(python) == target
