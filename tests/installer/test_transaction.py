"""`Transaction` and `recover`: a commit changes the environment whole, and a failure or a
crash at any operation leaves (or, after `recover`, brings back) exactly the previous tree."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from puv.errors import InstallError
from puv.installer.transaction import Transaction, recover
from tests.installer.scenarios import (
    SITE,
    Scenario,
    expected_after,
    make_layout,
    stage,
    write_tree,
)
from tests.installer.trees import Tree, snapshot, stray_files

REPO = Path(__file__).resolve().parents[2]

# An upgrade of `pkg` 1.0 to 2.0 beside `newpkg`, with every kind of operation: new
# directories, merges (`pkg`, `ns`, `bin`), files replaced, removals (one emptying `gone/`),
# a file where a directory goes and a directory where a file goes, a destination that does not
# exist yet (headers), and symlinks left alone.
UPGRADE: Scenario = {
    "existing": {
        f"{SITE}/pkg/__init__.py": "old init",
        f"{SITE}/pkg/a.py": "old a",
        f"{SITE}/pkg/b.py": "old b",
        f"{SITE}/pkg-1.0.dist-info/METADATA": "Name: pkg\nVersion: 1.0\n",
        f"{SITE}/pkg-1.0.dist-info/RECORD": "pkg/__init__.py,,\n",
        f"{SITE}/ns/other.py": "other",
        f"{SITE}/lone.py": "lone",
        f"{SITE}/gone/only.py": "only",
        f"{SITE}/link": ["link", "pkg"],
        f"{SITE}/filething": "a file where a directory goes",
        f"{SITE}/dirthing/inner.py": "a directory where a file goes",
        "bin/tool": "old tool",
        "bin/python": ["link", "/nonexistent/python3"],
    },
    "staged": {
        SITE: {
            "pkg/__init__.py": "new init",
            "pkg/a.py": "new a",
            "pkg/c.py": "new c",
            "pkg-2.0.dist-info/METADATA": "Name: pkg\nVersion: 2.0\n",
            "pkg-2.0.dist-info/RECORD": "pkg/__init__.py,,\n",
            "newpkg/__init__.py": "new package",
            "newpkg/sub/m.py": "new module",
            "newpkg-1.0.dist-info/METADATA": "Name: newpkg\nVersion: 1.0\n",
            "ns/mine.py": "mine",
            "filething/x.py": "now a directory",
            "dirthing": "now a file",
        },
        "bin": {"tool": "new tool", "newtool": "new"},
        "include/site/python3/newpkg": {"newpkg.h": "int newpkg;"},
    },
    "remove": [
        f"{SITE}/pkg/b.py",
        f"{SITE}/pkg-1.0.dist-info/METADATA",
        f"{SITE}/pkg-1.0.dist-info/RECORD",
        f"{SITE}/lone.py",
        f"{SITE}/gone/only.py",
        f"{SITE}/not-there.py",  # already gone: skipped
    ],
}


def setup(root: Path, scenario: Scenario) -> tuple[Transaction, Tree]:
    """The environment written, the transaction staged; the tree before the commit."""
    layout = make_layout(root)
    write_tree(root, scenario["existing"])
    before = snapshot(root)
    return stage(layout, scenario), before


def test_model_of_the_upgrade_is_what_a_reader_expects() -> None:
    """The expected tree, spelled out once, so the model used below is itself checked."""
    after = expected_after(UPGRADE)
    files = {path: node[1] for path, node in after.items() if node[0] == "file"}
    assert files == {
        f"{SITE}/pkg/__init__.py": b"new init",
        f"{SITE}/pkg/a.py": b"new a",
        f"{SITE}/pkg/c.py": b"new c",
        f"{SITE}/pkg-2.0.dist-info/METADATA": b"Name: pkg\nVersion: 2.0\n",
        f"{SITE}/pkg-2.0.dist-info/RECORD": b"pkg/__init__.py,,\n",
        f"{SITE}/newpkg/__init__.py": b"new package",
        f"{SITE}/newpkg/sub/m.py": b"new module",
        f"{SITE}/newpkg-1.0.dist-info/METADATA": b"Name: newpkg\nVersion: 1.0\n",
        f"{SITE}/ns/other.py": b"other",
        f"{SITE}/ns/mine.py": b"mine",
        f"{SITE}/filething/x.py": b"now a directory",
        f"{SITE}/dirthing": b"now a file",
        "bin/tool": b"new tool",
        "bin/newtool": b"new",
        "include/site/python3/newpkg/newpkg.h": b"int newpkg;",
    }
    assert f"{SITE}/gone" not in after  # emptied by the removal, pruned
    assert f"{SITE}/pkg-1.0.dist-info" not in after
    assert after[f"{SITE}/link"] == ("link", "pkg")


def test_commit_applies_every_change(tmp_path: Path) -> None:
    tx, _ = setup(tmp_path, UPGRADE)
    tx.commit()
    assert snapshot(tmp_path) == expected_after(UPGRADE)
    assert stray_files(tmp_path, ".puv-tx-") == []


def test_new_directory_is_placed_with_one_rename(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    tx, _ = setup(tmp_path, UPGRADE)
    stage_dir = Path(tx.stage_for(str(tmp_path / SITE)))
    staged_inode = os.stat(stage_dir / "newpkg").st_ino
    renames: list[tuple[str, str]] = []
    real_rename = os.rename

    def spy(source: str, target: str) -> None:
        renames.append((str(source), str(target)))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", spy)
    tx.commit()
    placed = tmp_path / SITE / "newpkg"
    assert os.stat(placed).st_ino == staged_inode  # the staged directory itself, moved
    assert [t for _, t in renames if t == str(placed) or t.startswith(f"{placed}/")] == [
        str(placed)]


def test_existing_directories_are_merged_not_replaced(tmp_path: Path) -> None:
    tx, _ = setup(tmp_path, UPGRADE)
    site = tmp_path / SITE
    inodes = {name: os.stat(site / name).st_ino for name in ("pkg", "ns")}
    bin_inode = os.stat(tmp_path / "bin").st_ino
    tx.commit()
    assert {name: os.stat(site / name).st_ino for name in ("pkg", "ns")} == inodes
    assert os.stat(tmp_path / "bin").st_ino == bin_inode
    assert (site / "ns" / "other.py").read_text() == "other"
    assert (site / "ns" / "mine.py").read_text() == "mine"
    assert (tmp_path / "bin" / "python").is_symlink()


def test_existing_file_is_replaced_by_the_staged_one(tmp_path: Path) -> None:
    tx, _ = setup(tmp_path, UPGRADE)
    staged = Path(tx.stage_for(str(tmp_path / SITE))) / "pkg" / "a.py"
    inode = os.stat(staged).st_ino
    tx.commit()
    replaced = tmp_path / SITE / "pkg" / "a.py"
    assert replaced.read_text() == "new a"
    assert os.stat(replaced).st_ino == inode  # renamed into place, not copied
    assert stray_files(tmp_path, ".puv-tx-") == []  # the backup went with the commit


def test_removed_files_are_gone_and_emptied_directories_pruned(tmp_path: Path) -> None:
    tx, _ = setup(tmp_path, UPGRADE)
    tx.commit()
    site = tmp_path / SITE
    for relative in UPGRADE["remove"]:
        assert not os.path.lexists(tmp_path / relative)
    assert not (site / "gone").exists()
    assert not (site / "pkg-1.0.dist-info").exists()
    assert site.is_dir()  # never the environment's own directories


def test_removal_only_transaction(tmp_path: Path) -> None:
    scenario = {"existing": UPGRADE["existing"], "staged": {}, "remove": UPGRADE["remove"]}
    tx, _ = setup(tmp_path, scenario)
    tx.commit()
    assert snapshot(tmp_path) == expected_after(scenario)


def test_discard_changes_nothing(tmp_path: Path) -> None:
    tx, before = setup(tmp_path, UPGRADE)
    tx.discard()
    assert snapshot(tmp_path) == before


# -- failures ------------------------------------------------------------------------------


def test_failure_at_every_operation_rolls_back_exactly(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    failures = 0
    for after_ops in range(200):
        root = tmp_path / str(after_ops)
        tx, before = setup(root, UPGRADE)
        monkeypatch.setenv("PUV_TEST_FAIL_AFTER_OPS", str(after_ops))
        try:
            tx.commit()
        except InstallError as exc:
            failures += 1
            assert exc.message == (
                f"Failed to change the environment at `{root}`: simulated failure "
                "(PUV_TEST_FAIL_AFTER_OPS); it was left as it was")
            assert snapshot(root) == before, f"after {after_ops} operations"
            continue
        # Past the last operation: the commit went through.
        assert snapshot(root) == expected_after(UPGRADE)
        break
    else:
        pytest.fail("the commit never completed")
    # One failure per operation: 6 removals and at least 13 placements.
    assert failures >= 18


def test_real_os_error_mid_commit_rolls_back(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A rename that fails for real (not the test hook) is reported with its path."""
    tx, before = setup(tmp_path, UPGRADE)
    real_rename = os.rename
    blocked = str(tmp_path / SITE / "ns" / "mine.py")

    def failing(source: str, target: str) -> None:
        if str(target) == blocked:
            raise PermissionError(13, "Permission denied", str(target))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", failing)
    with pytest.raises(InstallError) as caught:
        tx.commit()
    assert f"Permission denied at `{blocked}`" in caught.value.message
    monkeypatch.undo()
    assert snapshot(tmp_path) == before


# -- crashes -------------------------------------------------------------------------------


def commit_in_child(root: Path, scenario: Scenario, kill_after: int) -> subprocess.CompletedProcess[str]:
    spec = root.parent / f"{root.name}.json"
    spec.write_text(json.dumps(scenario))
    env = {**os.environ, "PUV_TEST_KILL_AFTER_OPS": str(kill_after)}
    env.pop("PUV_TEST_FAIL_AFTER_OPS", None)
    return subprocess.run([sys.executable, "-m", "tests.installer.scenarios", str(spec), str(root)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)


def test_recover_after_a_kill_at_every_operation(tmp_path: Path) -> None:
    kills = 0
    for after_ops in range(200):
        root = tmp_path / str(after_ops)
        layout = make_layout(root)
        write_tree(root, UPGRADE["existing"])
        before = snapshot(root)
        result = commit_in_child(root, UPGRADE, after_ops)
        if result.returncode == 0:
            assert recover(layout) == []
            assert snapshot(root) == expected_after(UPGRADE)
            break
        assert result.returncode == -signal.SIGKILL, result.stderr
        kills += 1
        left = stray_files(root, ".puv-tx-")
        assert len(left) == 1  # the staging directory and its journal, as the crash left them
        assert os.path.isfile(os.path.join(left[0], "journal.json"))
        assert recover(layout) == left
        assert snapshot(root) == before, f"killed after {after_ops} operations"
    else:
        pytest.fail("the commit never completed")
    assert kills >= 18


def test_recover_removes_a_transaction_that_never_reached_its_journal(tmp_path: Path) -> None:
    tx, before = setup(tmp_path, UPGRADE)  # staged, never committed: as if killed while staging
    assert recover(make_layout(tmp_path)) == [tx.root]
    assert snapshot(tmp_path) == before


def test_recover_with_nothing_to_do(tmp_path: Path) -> None:
    layout = make_layout(tmp_path)
    write_tree(tmp_path, UPGRADE["existing"])
    before = snapshot(tmp_path)
    assert recover(layout) == []
    assert snapshot(tmp_path) == before


def test_recover_twice_is_harmless(tmp_path: Path) -> None:
    root = tmp_path / "env"
    layout = make_layout(root)
    write_tree(root, UPGRADE["existing"])
    before = snapshot(root)
    assert commit_in_child(root, UPGRADE, 9).returncode == -signal.SIGKILL
    assert len(recover(layout)) == 1
    assert recover(layout) == []
    assert snapshot(root) == before


# -- order ---------------------------------------------------------------------------------


def placements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The targets renamed into place from the staging area during the commit, in order."""
    placed: list[str] = []
    real_rename = os.rename

    def spy(source: str, target: str) -> None:
        if "/.puv-tx-" in str(source) and "/.puv-tx-" not in str(target):
            placed.append(str(target))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", spy)
    return placed


def in_dist_info(path: str) -> bool:
    return any(part.endswith(".dist-info") for part in Path(path).parts)


def test_dist_info_is_placed_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tx, _ = setup(tmp_path, UPGRADE)
    placed = placements(monkeypatch)
    tx.commit()
    flags = [in_dist_info(p) for p in placed]
    assert flags == sorted(flags), placed
    assert sum(flags) == 2  # pkg-2.0 and newpkg-1.0, one rename each


def test_dist_info_is_placed_last_on_a_reinstall(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The same version again: its `.dist-info` exists (emptied by the removals) and is merged
    file by file; those files still go after every file of the package."""
    scenario: Scenario = {
        "existing": {
            f"{SITE}/zz/__init__.py": "old",
            f"{SITE}/aa-1.0.dist-info/METADATA": "Name: aa\nVersion: 1.0\n",
            f"{SITE}/aa-1.0.dist-info/RECORD": "zz/__init__.py,,\n",
            "bin/aa": "old script",
        },
        "staged": {
            SITE: {
                "zz/__init__.py": "new",
                "zz/more.py": "more",
                "aa-1.0.dist-info/METADATA": "Name: aa\nVersion: 1.0\n",
                "aa-1.0.dist-info/RECORD": "zz/__init__.py,,\nzz/more.py,,\n",
                "aa-1.0.dist-info/licenses/LICENSE": "MIT",
            },
            "bin": {"aa": "new script"},
        },
        "remove": [f"{SITE}/zz/__init__.py", f"{SITE}/aa-1.0.dist-info/METADATA",
                   f"{SITE}/aa-1.0.dist-info/RECORD", "bin/aa"],
    }
    tx, _ = setup(tmp_path, scenario)
    placed = placements(monkeypatch)
    tx.commit()
    flags = [in_dist_info(p) for p in placed]
    assert flags == sorted(flags), placed
    assert snapshot(tmp_path) == expected_after(scenario)


# -- any tree, any failure point -----------------------------------------------------------

NAMES = st.sampled_from(["a", "b", "c.py", "d.dist-info"])
PATHS = st.lists(NAMES, min_size=1, max_size=3).map("/".join)
LEAVES = st.one_of(st.sampled_from(["x", "y", "z"]),
                   st.sampled_from(["a", "../a", "/nowhere"]).map(lambda t: ["link", t]))


def consistent(paths: list[tuple[str, object]]) -> dict[str, object]:
    """Keep the paths that are not a file's descendant or an ancestor of another file."""
    tree: dict[str, object] = {}
    for path, leaf in paths:
        if path in tree or any(p.startswith(path + "/") or path.startswith(p + "/")
                               for p in tree):
            continue
        tree[path] = leaf
    return tree


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    bases = [SITE, "bin"]
    existing = {}
    for base in bases:
        tree = consistent(draw(st.lists(st.tuples(PATHS, LEAVES), max_size=6)))
        existing.update({f"{base}/{p}": leaf for p, leaf in tree.items()})
    staged = {}
    for base in draw(st.lists(st.sampled_from([*bases, "include/x"]), unique=True)):
        tree = consistent(draw(st.lists(st.tuples(PATHS, LEAVES), min_size=1, max_size=6)))
        staged[base] = tree
    leaves = sorted(existing)
    remove = draw(st.lists(st.sampled_from(leaves), unique=True)) if leaves else []
    return {"existing": existing, "staged": staged, "remove": remove}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), fail_after=st.integers(min_value=0, max_value=20))
# A destination that does not exist yet: the directory the commit makes goes on rollback.
@example(scenario={"existing": {}, "staged": {"bin": {"a": "x", "b": "x"}}, "remove": []},
         fail_after=1)
# A file replaced by a directory and back, with a removal emptying a directory.
@example(scenario={"existing": {f"{SITE}/a": "x", f"{SITE}/b/c.py": "y", f"{SITE}/d/e": "z"},
                   "staged": {SITE: {"a/b": "x", "b": "y"}}, "remove": [f"{SITE}/d/e"]},
         fail_after=2)
def test_any_failure_point_rolls_back_exactly(scenario: Scenario, fail_after: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        tx, before = setup(root, scenario)
        os.environ["PUV_TEST_FAIL_AFTER_OPS"] = str(fail_after)
        try:
            tx.commit()
        except InstallError:
            assert snapshot(root) == before
        else:
            assert snapshot(root) == expected_after(scenario)
        finally:
            del os.environ["PUV_TEST_FAIL_AFTER_OPS"]
        assert stray_files(root, ".puv-tx-") == []


# -- a journal puv did not write ------------------------------------------------------------


@pytest.mark.parametrize("op", [
    ["mv", "{tx}/x", "{outside}/keep.txt", None],  # rolled back: moves keep.txt into tx
    ["mv", "{outside}/moved.txt", "{site}/pkg/a.py", None],
    ["rm", "{outside}/stolen.txt", "{outside}/keep.txt"],
    ["rm", "{site}/pkg/x.py", "{outside}/keep.txt"],
    ["mv", "{tx}/x", "{site}/pkg/a.py", "{outside}/keep.txt"],
    ["mv", "{tx}/x", "{site}/../../../outside/keep.txt", None],
    ["mv", "{tx}/x", "{site}/escape/keep.txt", None],  # through a symlink to outside
    ["mv", "{tx}/x", "{site}/..", None],
    ["mkdir", "{outside}/new", None],
    ["cp", "{tx}/x", "{site}/pkg/a.py", None],
])
def test_recover_never_replays_a_journal_that_reaches_outside(op: list[str | None],
                                                              tmp_path: Path) -> None:
    """A wheel can ship `.puv-tx-x/journal.json`: replaying it must not move files from or to
    outside the environment."""
    root = tmp_path / "env"
    layout = make_layout(root)
    write_tree(root, UPGRADE["existing"])
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep\n")
    (outside / "new").mkdir()  # an empty directory a `mkdir` rollback would remove
    (root / SITE / "escape").symlink_to(outside)
    fake = root / SITE / ".puv-tx-shipped-by-a-wheel"
    fake.mkdir()
    values = {"tx": str(fake), "outside": str(outside), "site": str(root / SITE)}
    journal = [item.format(**values) if item else item for item in op]
    (fake / "journal.json").write_text(json.dumps([journal]))
    before = snapshot(tmp_path, skip=("env/" + SITE + "/.puv-tx-shipped-by-a-wheel",))

    assert recover(layout) == [str(fake)]

    assert snapshot(tmp_path) == before
    assert (outside / "keep.txt").read_text() == "keep\n"


def test_recover_replays_a_journal_of_its_own_with_symlinked_site_packages(
        tmp_path: Path) -> None:
    """The environment reached through a symlink (`lib64 -> lib`): still recognized."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "env").symlink_to(real)
    root = tmp_path / "env"
    layout = make_layout(root)
    write_tree(root, UPGRADE["existing"])
    before = snapshot(real)
    assert commit_in_child(root, UPGRADE, 8).returncode == -signal.SIGKILL
    assert len(recover(layout)) == 1
    assert snapshot(real) == before
