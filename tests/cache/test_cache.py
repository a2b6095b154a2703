"""The cache root, `puv cache dir`, `clean`, `prune` and `size`."""

from __future__ import annotations

from pathlib import Path

from puv.cache import Bucket, Cache, human_size
from tests.conftest import Runner, assert_clean_error


def test_cache_dir_from_flag_env_and_default(puv: Runner, tmp_path: Path,
                                             isolated_env: dict[str, str]) -> None:
    assert puv("cache", "dir", "--cache-dir", str(tmp_path / "a")).stdout == f"{tmp_path / 'a'}\n"
    assert puv("cache", "dir", env={"UV_CACHE_DIR": str(tmp_path / "b")}).stdout == \
        f"{tmp_path / 'b'}\n"
    env = {k: v for k, v in isolated_env.items() if k != "UV_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    import subprocess

    from tests.conftest import puv_command

    out = subprocess.run([*puv_command(), "cache", "dir"], env=env, capture_output=True,
                         text=True).stdout
    assert out == f"{tmp_path / 'xdg' / 'puv'}\n"


def test_cache_dir_from_tool_uv(puv: Runner, workdir: Path, tmp_path: Path) -> None:
    (workdir / "pyproject.toml").write_text(f'[tool.uv]\ncache-dir = "{tmp_path / "c"}"\n')
    result = puv("cache", "dir", env={"UV_CACHE_DIR": ""})
    assert result.stdout == f"{tmp_path / 'c'}\n"


def _usage(*paths: Path) -> int:
    """Disk usage of files, as the cache commands count it (allocated blocks)."""
    return sum(p.lstat().st_blocks * 512 for p in paths)


def _populate(root: Path) -> None:
    cache = Cache(root)
    wheels = Path(cache.bucket(Bucket.WHEELS))
    (wheels / "pypi" / "requests").mkdir(parents=True)
    (wheels / "pypi" / "requests" / "requests-2.0-py3-none-any.whl").write_bytes(b"x" * 2048)
    simple = Path(cache.bucket(Bucket.SIMPLE))
    (simple / "pypi").mkdir(parents=True)
    (simple / "pypi" / "requests.rkyv").write_bytes(b"y" * 10)
    (simple / "pypi" / "torch.rkyv").write_bytes(b"z" * 10)


def test_cache_clean_removes_everything(puv: Runner, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    _populate(root)
    result = puv("cache", "clean", "--cache-dir", str(root))
    assert result.returncode == 0, result
    assert result.stderr.splitlines()[0] == f"Clearing cache at: {root}"
    assert result.stderr.splitlines()[1].startswith("Removed 5 files (")
    assert not root.exists()
    again = puv("cache", "clean", "--cache-dir", str(root))
    assert again.stderr == f"No cache found at: {root}\n"


def test_cache_clean_package_removes_only_its_entries(puv: Runner, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    _populate(root)
    requests_usage = _usage(
        root / "wheels-v1" / "pypi" / "requests" / "requests-2.0-py3-none-any.whl",
        root / "simple-v1" / "pypi" / "requests.rkyv")
    result = puv("cache", "clean", "Requests", "--cache-dir", str(root))
    assert result.returncode == 0, result
    # Sizes are disk usage (whole blocks), as uv reports them.
    assert result.stderr == f"Removed 2 files ({human_size(requests_usage)})\n"
    assert not (root / "wheels-v1" / "pypi" / "requests").exists()
    assert not (root / "simple-v1" / "pypi" / "requests.rkyv").exists()
    assert (root / "simple-v1" / "pypi" / "torch.rkyv").exists()
    none = puv("cache", "clean", "numpy", "--cache-dir", str(root))
    assert none.stderr == "No cache entries found for numpy\n"


def test_cache_clean_rejects_invalid_names(puv: Runner, tmp_path: Path) -> None:
    stderr = assert_clean_error(puv("cache", "clean", "not a name!", "--cache-dir",
                                    str(tmp_path)))
    assert "Invalid package name `not a name!`" in stderr


def test_a_file_where_the_cache_should_be_is_a_clean_error(puv: Runner, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    stderr = assert_clean_error(puv("venv", "--cache-dir", str(blocker / "cache")))
    assert f"`{blocker / 'cache'}`" in stderr


def test_no_cache_uses_a_temporary_directory(puv: Runner, tmp_path: Path) -> None:
    result = puv("cache", "dir", "--no-cache")
    assert result.returncode == 0
    temporary = Path(result.stdout.strip())
    assert temporary.name.startswith("puv-cache-")
    assert not temporary.exists()


def test_cache_root_is_tagged(tmp_path: Path) -> None:
    root = Cache(tmp_path / "c").init()
    assert root == str(tmp_path / "c")
    assert Path(root, "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f")
    assert Path(root, ".gitignore").read_text() == "*\n"


def test_cache_size_in_bytes_and_human(puv: Runner, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    assert puv("cache", "size", "--cache-dir", str(root)).stdout == "0\n"
    _populate(root)
    size = int(puv("cache", "size", "--cache-dir", str(root)).stdout)
    assert size == _usage(*(p for p in root.rglob("*") if p.is_file())) > 0
    assert puv("cache", "size", "-H", "--cache-dir", str(root)).stdout == f"{human_size(size)}\n"


def test_cache_prune_removes_old_buckets_stale_temporaries_and_environments(
        puv: Runner, tmp_path: Path) -> None:
    import os
    import time

    root = tmp_path / "cache"
    _populate(root)
    (root / "simple-v0").mkdir()
    (root / "simple-v0" / "old").write_text("x")
    environments = Path(Cache(root).bucket(Bucket.ENVIRONMENTS))
    (environments / "env1").mkdir(parents=True)
    (environments / "env1" / "pyvenv.cfg").write_text("home = /usr\n")
    stale = root / "wheels-v1" / "pypi" / ".a.whl.1.ab.tmp"
    stale.write_text("half")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    fresh = root / "wheels-v1" / "pypi" / ".b.whl.1.cd.tmp"  # a write in progress
    fresh.write_text("half")
    removed = _usage(root / "simple-v0" / "old", environments / "env1" / "pyvenv.cfg", stale)
    result = puv("cache", "prune", "--cache-dir", str(root))
    assert result.returncode == 0, result
    assert result.stderr == f"Pruning cache at: {root}\nRemoved 3 files ({human_size(removed)})\n"
    assert not (root / "simple-v0").exists()
    assert not environments.exists()
    assert not stale.exists()
    assert fresh.exists()
    assert (root / "wheels-v1" / "pypi" / "requests").exists()
    again = puv("cache", "prune", "--cache-dir", str(root))
    assert again.stderr == f"Pruning cache at: {root}\nNo unused entries found\n"


def test_cache_prune_ci_drops_downloaded_wheels_but_keeps_built_ones(
        puv: Runner, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    _populate(root)
    built = Path(Cache(root).bucket(Bucket.BUILT_WHEELS)) / "a" / "a-1.0-py3-none-any.whl"
    built.parent.mkdir(parents=True)
    built.write_bytes(b"w")
    result = puv("cache", "prune", "--ci", "--cache-dir", str(root))
    assert result.returncode == 0, result
    assert not (root / "wheels-v1").exists()
    assert built.exists()
    assert (root / "simple-v1" / "pypi" / "torch.rkyv").exists()
