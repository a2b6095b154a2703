"""`puv pip compile`: the output format (against hand-built resolutions), the header's command
line, the target environment, and the command end to end against a local index.

The expected outputs were produced by uv 0.13.8 running the same commands against an index
with the same packages (`PACKAGES`), then hard-coded; the only difference is the header's
command, which names `puv` (docs/pip-compile.md).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from puv.commands.pip.compile_output import HEADER, OutputOptions, header_command, render
from puv.commands.pip.specification import annotation_key
from puv.index.registry import Candidate
from puv.index.simple import IndexFile
from puv.resolver.resolution import Resolution, ResolvedDist, RootRequirement
from tests.conftest import Result, Runner, assert_clean_error
from tests.support.fixtures import PackageIndexFactory
from tests.support.index import PackageIndex

MINOR = f"{sys.version_info.major}.{sys.version_info.minor}"
_DURATION = re.compile(r" in (?:\d+\.\d+m?s|\d+ms|\d+m \d\ds)$", re.MULTILINE)

PACKAGES = {
    "a": {"1.0": {"requires": ["b>=1"]},
          "2.0": {"requires": ["b>=1", "c"], "extras": {"x": ["d"]}}},
    "b": {"1.0": {}, "2.0": {"sdist": True}},
    "c": {"1.0": {"wheel_tags": ["py3-none-any", "cp312-cp312-manylinux_2_17_x86_64",
                                 "cp312-cp312-win_amd64", "cp312-cp312-macosx_11_0_arm64"],
                  "sdist": True}},
    "d": {"1.0": {"requires": ["b<2; python_version < '3.10'"]}},
    "e": {"1.0": {}, "2.0b1": {}},
    "f": {"1.0": {"requires_python": ">=3.8"}, "2.0": {"requires_python": ">=3.13"}},
    "g": {"1.0": {"wheel_tags": ["cp312-cp312-manylinux_2_17_x86_64", "cp312-cp312-win_amd64"]},
          "2.0": {"wheel_tags": ["cp312-cp312-win_amd64"]}},
    "h": {"1.0": {"requires": ["a[x]"]}},
    "s": {"1.0": {"sdist": True, "wheel": False}},
    "m": {"1.0": {"requires": ["g; sys_platform == 'win32'", "e"]}},
    "n": {"1.0": {"upload_time": "2024-01-01T00:00:00Z"},
          "2.0": {"upload_time": "2024-06-01T00:00:00Z"}},
}


def masked(text: str) -> str:
    return _DURATION.sub(" in [TIME]", text)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# -- the output format, from hand-built resolutions -------------------------------------------


def _file(filename: str, digest: str) -> Candidate:
    name, version = filename.split("-")[:2]
    return Candidate(IndexFile(filename, f"https://example.org/files/{filename}",
                               hashes=(("sha256", digest),)), name, Version(version.removesuffix(
                                   ".tar.gz")), filename.endswith(".whl"), None)


def _dist(name: str, version: str, *requested_by: str, files: tuple[Candidate, ...] = (),
          extras: frozenset[str] = frozenset()) -> ResolvedDist:
    return ResolvedDist(name=name, version=Version(version), files=files,
                        requested_by=requested_by, extras=extras,
                        candidate=files[0] if files else None)


def _resolution(*dists: ResolvedDist) -> Resolution:
    return Resolution({d.name: d for d in sorted(dists, key=lambda d: d.name)})


def _root(text: str, source: str) -> RootRequirement:
    return RootRequirement(Requirement(text), source)


ROOTS = [_root("h", "-r r2.in"), _root("m", "-r r2.in"), _root("f", "-r r2.in")]
CONSTRAINTS = [_root("b<2", "-c cons.txt")]
OVERRIDES = [_root("e==2.0b1", "--override ov.txt")]
RESOLUTION = _resolution(
    _dist("a", "2.0", "h", extras=frozenset({"x"})), _dist("b", "1.0", "a"),
    _dist("c", "1.0", "a"), _dist("d", "1.0", "a"), _dist("e", "2.0b1", "m"),
    _dist("f", "1.0", "-r r2.in"), _dist("h", "1.0", "-r r2.in"), _dist("m", "1.0", "-r r2.in"))
MARKERS = {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "linux",
           "platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix",
           "implementation_name": "cpython", "platform_python_implementation": "CPython"}
COMMAND = "puv pip compile r2.in -c cons.txt --override ov.txt"


def _render(resolution: Resolution = RESOLUTION, **options: object) -> str:
    return render(resolution, requirements=ROOTS, constraints=CONSTRAINTS, overrides=OVERRIDES,
                  markers=MARKERS, options=OutputOptions(command=COMMAND, **options))  # type: ignore[arg-type]


def test_split_annotations_as_uv_writes_them() -> None:
    assert _render() == (
        f"{HEADER}\n"
        f"#    {COMMAND}\n"
        "a==2.0\n"
        "    # via h\n"
        "b==1.0\n"
        "    # via\n"
        "    #   -c cons.txt\n"
        "    #   a\n"
        "c==1.0\n"
        "    # via a\n"
        "d==1.0\n"
        "    # via a\n"
        "e==2.0b1\n"
        "    # via\n"
        "    #   --override ov.txt\n"
        "    #   m\n"
        "f==1.0\n"
        "    # via -r r2.in\n"
        "h==1.0\n"
        "    # via -r r2.in\n"
        "m==1.0\n"
        "    # via -r r2.in\n"
    )


def test_line_annotations_pad_to_24_columns_with_dependents_first() -> None:
    assert _render(annotation_style="line", include_extras=True) == (
        f"{HEADER}\n"
        f"#    {COMMAND}\n"
        "a[x]==2.0                 # via h\n"
        "b==1.0                    # via a, -c cons.txt\n"
        "c==1.0                    # via a\n"
        "d==1.0                    # via a\n"
        "e==2.0b1                  # via m, --override ov.txt\n"
        "f==1.0                    # via -r r2.in\n"
        "h==1.0                    # via -r r2.in\n"
        "m==1.0                    # via -r r2.in\n"
    )


def test_no_header_no_annotate_gives_bare_pins() -> None:
    assert _render(header=False, annotate=False) == (
        "a==2.0\nb==1.0\nc==1.0\nd==1.0\ne==2.0b1\nf==1.0\nh==1.0\nm==1.0\n")


def test_hashes_are_every_file_sorted_with_continuations() -> None:
    files = (_file("c-1.0-py3-none-any.whl", "e2" * 32), _file("c-1.0.tar.gz", "18" * 32),
             _file("c-1.0-cp312-cp312-win_amd64.whl", "c8" * 32))
    resolution = _resolution(_dist("c", "1.0", "-r r2.in", files=files))
    roots = [_root("c", "-r r2.in")]
    text = render(resolution, requirements=roots, markers=MARKERS,
                  options=OutputOptions(header=False, generate_hashes=True))
    assert text == (
        "c==1.0 \\\n"
        f"    --hash=sha256:{'18' * 32} \\\n"
        f"    --hash=sha256:{'c8' * 32} \\\n"
        f"    --hash=sha256:{'e2' * 32}\n"
        "    # via -r r2.in\n")
    text = render(resolution, requirements=roots, markers=MARKERS,
                  options=OutputOptions(header=False, generate_hashes=True,
                                        annotation_style="line"))
    assert text.endswith(f"    --hash=sha256:{'e2' * 32}\n    # via -r r2.in\n")


def test_no_emit_package_is_listed_at_the_end() -> None:
    text = _render(header=False, no_emit_packages=frozenset({"b", "zzz"}))
    assert "b==1.0" not in text
    assert text.endswith("\n\n# The following packages were excluded from the output:\n# b\n")
    assert "excluded" not in _render(annotate=False, no_emit_packages=frozenset({"b"}))


def test_emitted_index_urls_and_find_links_come_first() -> None:
    text = _render(header=False, annotate=False, emit_index_url=True,
                   index_url="https://one.example/simple/",
                   extra_index_urls=("https://two.example/simple/",) * 2,
                   emit_find_links=True, find_links=("/wheels",))
    assert text.startswith("--index-url https://one.example/simple/\n"
                           "--extra-index-url https://two.example/simple/\n"
                           "--find-links /wheels\n\na==2.0\n")
    assert _render(header=False, annotate=False, emit_index_url=True).startswith(
        "--index-url https://pypi.org/simple\n\n")


def test_requirements_whose_markers_fail_are_not_sources() -> None:
    roots = [_root("b ; sys_platform == 'win32'", "-r win.in"), _root("b", "-r all.in")]
    text = render(_resolution(_dist("b", "1.0")), requirements=roots, markers=MARKERS,
                  options=OutputOptions(header=False))
    assert text == "b==1.0\n    # via -r all.in\n"


def test_sources_are_ordered_as_uv_orders_them() -> None:
    sources = ["my-proj (pyproject.toml:dev)", "-r b.in", "my-proj (pyproject.toml)",
               "--override o.txt", "-c c.txt", "-r a/b.in", "-r a.in"]
    assert sorted(sources, key=annotation_key) == [
        "-c c.txt", "--override o.txt", "-r a/b.in", "-r a.in", "-r b.in",
        "my-proj (pyproject.toml)", "my-proj (pyproject.toml:dev)"]


def test_direct_references_editables_first_paths_as_written() -> None:
    from puv.distribution import DirectoryDist, UrlDist

    editable = ResolvedDist(name="my-proj", version=Version("0.1"), editable=True,
                            dist=DirectoryDist(path="/x/proj", editable=True))
    local = ResolvedDist(name="e", version=Version("1.0"),
                         dist=UrlDist(url="file:///x/e-1.0-py3-none-any.whl"),
                         requested_by=("my-proj",))
    remote = ResolvedDist(name="n", version=Version("1.0"),
                          dist=UrlDist(url="http://h/files/n-1.0-py3-none-any.whl"))
    text = render(_resolution(editable, local, remote, _dist("f", "1.0", "my-proj")),
                  requirements=[], markers=MARKERS,
                  options=OutputOptions(header=False, verbatim={
                      "my-proj": "../proj", "e": "./e-1.0-py3-none-any.whl",
                      "n": "http://h/files/n-1.0-py3-none-any.whl"},
                      generate_hashes=True, direct_hashes={"e": ("sha256:" + "65" * 32,)}))
    assert text == (
        "-e ../proj\n"
        "./e-1.0-py3-none-any.whl \\\n"
        f"    --hash=sha256:{'65' * 32}\n"
        "    # via my-proj\n"
        "f==1.0\n"
        "    # via my-proj\n"
        "n @ http://h/files/n-1.0-py3-none-any.whl\n")


# -- the header's command line ---------------------------------------------------------------


@pytest.mark.parametrize(("argv", "expected"), [
    (["pip", "compile", "r.in", "--index-url", "U", "-q"], "puv pip compile r.in"),
    (["pip", "compile", "r.in", "--index-url=U", "--extra-index-url", "V", "-i", "W",
      "--default-index", "X", "--index=Y"], "puv pip compile r.in"),
    (["-v", "pip", "compile", "r.in", "-U", "-P", "a", "--upgrade-package=b", "-Pc",
      "--upgrade", "--no-progress", "--native-tls"], "puv pip compile r.in"),
    (["pip", "compile", "r.in", "-f", "/w", "--find-links=/x", "-o", "out.txt"],
     "puv pip compile r.in -o out.txt"),
    (["pip", "compile", "r.in", "-qq", "--generate-hashes"],
     "puv pip compile r.in -qq --generate-hashes"),
])
def test_header_command_filters_as_uv(argv: list[str], expected: str) -> None:
    assert header_command(argv, include_index_url=False, include_find_links=False) == expected


def test_header_command_keeps_emitted_locations() -> None:
    argv = ["pip", "compile", "r.in", "-i", "U", "-f", "/w", "--emit-index-url"]
    assert header_command(argv, include_index_url=True, include_find_links=False) == \
        "puv pip compile r.in -i U --emit-index-url"
    assert header_command(argv, include_index_url=False, include_find_links=True) == \
        "puv pip compile r.in -f /w --emit-index-url"


# -- the target environment ------------------------------------------------------------------


class _FakeInterpreter:
    """What `target.py` reads of an interpreter (CPython 3.11 on x86_64 Linux)."""

    def __init__(self) -> None:
        from puv.python.request import PythonVersion

        self.version = PythonVersion((3, 11, 7))
        self.implementation = "cpython"
        self.gil_disabled = False
        self.markers = dict(MARKERS)
        self.info = {"implementation": "cpython", "version": [3, 11, 7, "final", 0],
                     "platform": "linux-x86_64", "glibc": "2.35", "markers": MARKERS,
                     "abiflags": "", "pointer_size": 64}

    def tags(self) -> object:
        from puv.core.tags import TargetTags

        return TargetTags.from_interpreter_info(self.info)


def test_python_version_sets_markers_and_requires_python_target() -> None:
    from puv.commands.pip.target import resolver_environment

    env = resolver_environment(_FakeInterpreter(), python_version="3.9")  # type: ignore[arg-type]
    assert env.markers["python_version"] == "3.9"
    assert env.markers["python_full_version"] == "3.9"
    assert env.markers["sys_platform"] == "linux"
    assert env.python == Version("3.9")
    assert env.installed_python == Version("3.11.7")
    assert env.tags is not None
    assert str(env.tags.tags()[0]).startswith("cp39-cp39-")


@pytest.mark.parametrize(("platform", "markers", "best", "refused"), [
    ("windows", {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                 "platform_machine": "x86_64"}, "cp312-cp312-win_amd64",
     "cp312-cp312-manylinux_2_17_x86_64"),
    ("linux", {"sys_platform": "linux", "platform_system": "Linux",
               "platform_machine": "x86_64"}, "cp312-cp312-linux_x86_64",
     "cp312-cp312-manylinux_2_31_x86_64"),
    ("macos", {"sys_platform": "darwin", "platform_system": "Darwin",
               "platform_machine": "arm64"}, "cp312-cp312-macosx_13_0_arm64",
     "cp312-cp312-macosx_14_0_arm64"),
    ("aarch64-manylinux_2_17", {"platform_machine": "aarch64"}, "cp312-cp312-linux_aarch64",
     "cp312-cp312-manylinux_2_28_aarch64"),
    ("manylinux_2_17_x86_64", {"platform_machine": "x86_64"}, "cp312-cp312-linux_x86_64",
     "cp312-cp312-manylinux_2_28_x86_64"),
    ("x86_64-unknown-linux-musl", {"sys_platform": "linux"}, "cp312-cp312-linux_x86_64",
     "cp312-cp312-manylinux_2_17_x86_64"),
])
def test_python_platform_sets_markers_and_tags(platform: str, markers: dict[str, str],
                                               best: str, refused: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from puv.commands.pip.target import resolver_environment

    monkeypatch.delenv("MACOSX_DEPLOYMENT_TARGET", raising=False)
    env = resolver_environment(_FakeInterpreter(), python_version="3.12",  # type: ignore[arg-type]
                               python_platform=platform)
    for key, value in markers.items():
        assert env.markers[key] == value
    assert env.tags is not None
    assert str(env.tags.tags()[0]) == best
    assert env.tags.priority(refused) is None
    assert env.tags.priority("py3-none-any") is not None


def test_macos_deployment_target_moves_the_macos_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    from puv.commands.pip.target import target_tags

    monkeypatch.setenv("MACOSX_DEPLOYMENT_TARGET", "14.0")
    tags = target_tags(_FakeInterpreter(), python_version=None,  # type: ignore[arg-type]
                       python_platform="macos")
    assert tags.priority("cp311-cp311-macosx_14_0_arm64") is not None
    assert tags.priority("cp311-cp311-macosx_15_0_arm64") is None


# -- end to end ------------------------------------------------------------------------------


@pytest.fixture
def index(package_index: PackageIndexFactory) -> PackageIndex:
    return package_index(PACKAGES)


@pytest.fixture
def run(puv: Runner, tmp_path: Path) -> Runner:
    """`puv` with this test's own cache and the running interpreter (`UV_PYTHON`, so that
    the header does not show it)."""

    def call(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> Result:
        base = {"UV_CACHE_DIR": str(tmp_path / "cache"), "UV_PYTHON": sys.executable}
        return puv(*args, env={**base, **(env or {})}, **kwargs)

    return call


def compile_(run: Runner, index: PackageIndex, *args: str, **kwargs: object) -> Result:
    return run("pip", "compile", *args, "--index-url", index.url, **kwargs)


def ok(result: Result) -> str:
    assert result.returncode == 0, result
    assert "Traceback" not in result.stderr
    return result.stdout


def test_compile_writes_uv_output_and_resolved_line(run: Runner, index: PackageIndex,
                                                   workdir: Path) -> None:
    write(workdir / "r2.in", "h\nm\nf\n")
    write(workdir / "cons.txt", "b<2\n")
    write(workdir / "ov.txt", "e==2.0b1\n")
    result = compile_(run, index, "r2.in", "-c", "cons.txt", "--override", "ov.txt")
    assert ok(result) == (
        f"{HEADER}\n"
        "#    puv pip compile r2.in -c cons.txt --override ov.txt\n"
        "a==2.0\n    # via h\n"
        "b==1.0\n    # via\n    #   -c cons.txt\n    #   a\n"
        "c==1.0\n    # via a\n"
        "d==1.0\n    # via a\n"
        "e==2.0b1\n    # via\n    #   --override ov.txt\n    #   m\n"
        "f==1.0\n    # via -r r2.in\n"
        "h==1.0\n    # via -r r2.in\n"
        "m==1.0\n    # via -r r2.in\n")
    assert masked(result.stderr) == "Resolved 8 packages in [TIME]\n"
    result = compile_(run, index, "r2.in", "-c", "cons.txt", "--annotation-style", "line",
                      "--no-strip-extras", "-q")
    assert ok(result) == (
        f"{HEADER}\n"
        "#    puv pip compile r2.in -c cons.txt --annotation-style line --no-strip-extras\n"
        "a[x]==2.0                 # via h\n"
        "b==1.0                    # via a, -c cons.txt\n"
        "c==1.0                    # via a\n"
        "d==1.0                    # via a\n"
        "e==1.0                    # via m\n"
        "f==1.0                    # via -r r2.in\n"
        "h==1.0                    # via -r r2.in\n"
        "m==1.0                    # via -r r2.in\n")
    assert result.stderr == ""


def test_generate_hashes_lists_every_file_of_the_version(run: Runner, index: PackageIndex,
                                                         workdir: Path) -> None:
    write(workdir / "requirements.in", "c\nb==2.0\n")
    out = ok(compile_(run, index, "requirements.in", "--generate-hashes", "--no-header"))
    c_hashes = sorted(f.sha256 for f in index.files if f.name == "c")
    b_hashes = sorted(f.sha256 for f in index.files if f.name == "b" and f.version == "2.0")
    assert len(c_hashes) == 5 and len(b_hashes) == 2
    assert out == (
        "b==2.0 \\\n" + " \\\n".join(f"    --hash=sha256:{h}" for h in b_hashes) + "\n"
        "    # via -r requirements.in\n"
        "c==1.0 \\\n" + " \\\n".join(f"    --hash=sha256:{h}" for h in c_hashes) + "\n"
        "    # via -r requirements.in\n")


def test_output_file_pins_are_kept_unless_upgraded(run: Runner, index: PackageIndex,
                                                   workdir: Path) -> None:
    write(workdir / "req.in", "a\ne\nn\n")
    out = write(workdir / "req.txt", "a==1.0\nb==1.0\ne==1.0\nn==1.0\n")
    result = compile_(run, index, "req.in", "-o", "req.txt", "-q")
    assert ok(result) == "" and result.stderr == ""
    assert out.read_text() == (
        f"{HEADER}\n#    puv pip compile req.in -o req.txt\n"
        "a==1.0\n    # via -r req.in\n"
        "b==1.0\n    # via a\n"
        "e==1.0\n    # via -r req.in\n"
        "n==1.0\n    # via -r req.in\n")
    # `-P a` frees `a` only (its new dependency `c` comes in); stdout shows the file too.
    text = ok(compile_(run, index, "req.in", "-o", "req.txt", "-P", "a"))
    assert text == out.read_text() == (
        f"{HEADER}\n#    puv pip compile req.in -o req.txt\n"
        "a==2.0\n    # via -r req.in\n"
        "b==1.0\n    # via a\n"
        "c==1.0\n    # via a\n"
        "e==1.0\n    # via -r req.in\n"
        "n==1.0\n    # via -r req.in\n")
    ok(compile_(run, index, "req.in", "-o", "req.txt", "-U", "-q", "--no-header",
                "--no-annotate"))
    assert out.read_text() == "a==2.0\nb==2.0\nc==1.0\ne==1.0\nn==2.0\n"


PYPROJECT = """\
[project]
name = "My_Proj"
version = "0.1"
dependencies = ["e", "f>=1"]

[project.optional-dependencies]
extra1 = ["h"]
Extra-Two = ["m"]

[dependency-groups]
dev = ["n<2", {include-group = "lint"}]
lint = ["s"]
"""


def test_pyproject_dependencies_extras_and_groups(run: Runner, index: PackageIndex,
                                                  workdir: Path) -> None:
    write(workdir / "pyproject.toml", PYPROJECT)
    assert ok(compile_(run, index, "pyproject.toml", "--no-header")) == (
        "e==1.0\n    # via my-proj (pyproject.toml)\n"
        "f==1.0\n    # via my-proj (pyproject.toml)\n")
    assert ok(compile_(run, index, "pyproject.toml", "--extra", "Extra_Two", "--group", "dev",
                       "--no-header")) == (
        "e==1.0\n    # via\n    #   my-proj (pyproject.toml)\n    #   m\n"
        "f==1.0\n    # via my-proj (pyproject.toml)\n"
        "m==1.0\n    # via my-proj (pyproject.toml)\n"
        "n==1.0\n    # via my-proj (pyproject.toml:dev)\n"
        "s==1.0\n    # via my-proj (pyproject.toml:dev)\n")
    out = ok(compile_(run, index, "pyproject.toml", "--all-extras", "--no-header",
                      "--no-annotate"))
    assert out == "a==2.0\nb==2.0\nc==1.0\nd==1.0\ne==1.0\nf==1.0\nh==1.0\nm==1.0\n"
    # A group alone: the project's own dependencies are not included.
    result = compile_(run, index, "--group", "lint")
    assert ok(result) == (f"{HEADER}\n#    puv pip compile --group lint\n"
                          "s==1.0\n    # via my-proj (pyproject.toml:lint)\n")


def test_pyproject_input_errors(run: Runner, index: PackageIndex, workdir: Path) -> None:
    write(workdir / "pyproject.toml", PYPROJECT)
    write(workdir / "r.in", "e\n")
    result = compile_(run, index, "pyproject.toml", "--extra", "nope")
    assert assert_clean_error(result, code=2) == "error: Requested extra not found: nope\n"
    result = compile_(run, index, "r.in", "--extra", "x")
    assert assert_clean_error(result, code=2) == (
        "error: Requesting extras requires a `pyproject.toml`, `setup.cfg`, or `setup.py` "
        "file.\n")
    result = compile_(run, index, "--group", "nope")
    assert assert_clean_error(result, code=2) == (
        "error: The dependency group 'nope' was not found in the project: pyproject.toml\n")
    result = compile_(run, index, "nope.in")
    assert assert_clean_error(result, code=2) == "error: File not found: nope.in\n"
    result = compile_(run, index)
    assert assert_clean_error(result, code=2) == (
        "error: the following required arguments were not provided:\n"
        "  <SRC_FILE|--group <GROUP>>\n\n"
        "Usage: puv pip compile [OPTIONS] <SRC_FILE|--group <GROUP>>\n\n"
        "For more information, try '--help'.\n")


def test_stdin_requirements_name_no_source(run: Runner, index: PackageIndex) -> None:
    result = compile_(run, index, "-", input="e\n")
    assert ok(result) == f"{HEADER}\n#    puv pip compile -\ne==1.0\n"


def test_nested_files_urls_and_paths(run: Runner, index: PackageIndex, workdir: Path) -> None:
    wheel = index.file("e-1.0-py3-none-any.whl")
    (workdir / wheel.filename).write_bytes(Path(wheel.path).read_bytes())
    url = index.file_url("n-1.0-py3-none-any.whl")
    write(workdir / "top.in", f"-r sub/other.in\n./{wheel.filename}\n")
    write(workdir / "sub" / "other.in", f"f\nn @ {url}\n")
    n_hash = index.file("n-1.0-py3-none-any.whl").sha256
    assert ok(compile_(run, index, "top.in", "--generate-hashes", "--no-header")) == (
        f"./{wheel.filename} \\\n    --hash=sha256:{wheel.sha256}\n    # via -r top.in\n"
        f"f==1.0 \\\n    --hash=sha256:{index.file('f-1.0-py3-none-any.whl').sha256}\n"
        "    # via -r sub/other.in\n"
        f"n @ {url} \\\n    --hash=sha256:{n_hash}\n    # via -r sub/other.in\n")


def test_python_version_is_the_target_of_requires_python(run: Runner, index: PackageIndex,
                                                        workdir: Path) -> None:
    write(workdir / "f.in", "f\n")
    assert ok(compile_(run, index, "f.in", "--no-header", "--no-annotate",
                       "--python-version", "3.13")) == "f==2.0\n"
    assert ok(compile_(run, index, "f.in", "--no-header", "--no-annotate",
                       "--python-version", "3.12")) == "f==1.0\n"
    # `--python 3.13` is `--python-version 3.13`, as in uv.
    assert ok(compile_(run, index, "f.in", "--no-header", "--no-annotate",
                       "--python", "3.13")) == "f==2.0\n"
    result = compile_(run, index, "f.in", "--python-version", "2.7")
    assert assert_clean_error(result, code=2) == (
        "error: Invalid version request: Python <3.6 is not supported but 2.7 was "
        "requested.\n")


def test_python_version_not_available_warns(run: Runner, index: PackageIndex,
                                           workdir: Path) -> None:
    write(workdir / "f.in", "f\n")
    result = run("pip", "compile", "f.in", "--index-url", index.url, "--python-version",
                 "3.6.1", "--no-header", env={"UV_PYTHON": ""})
    assert result.stderr.startswith(
        "warning: The requested Python version 3.6.1 is not available; ")
    assert "will be used to build dependencies instead.\n" in result.stderr


def test_python_platform_picks_platform_wheels(run: Runner, index: PackageIndex,
                                               workdir: Path) -> None:
    write(workdir / "r.in", "m\n")
    common = ("--no-header", "--python-version", "3.12")
    assert ok(compile_(run, index, "r.in", "--python-platform", "windows", *common)) == (
        "e==1.0\n    # via m\ng==2.0\n    # via m\nm==1.0\n    # via -r r.in\n")
    # `g` is only for Windows (a marker); on Linux it is left out.
    assert ok(compile_(run, index, "r.in", "--python-platform", "linux", *common)) == (
        "e==1.0\n    # via m\nm==1.0\n    # via -r r.in\n")
    write(workdir / "g.in", "g\n")
    assert ok(compile_(run, index, "g.in", "--python-platform", "x86_64-unknown-linux-gnu",
                       *common, "--no-annotate")) == "g==1.0\n"
    result = compile_(run, index, "g.in", "--python-platform", "macos", *common)
    assert result.returncode == 1
    assert "No solution found when resolving dependencies" in result.stderr
    result = compile_(run, index, "g.in", "--python-platform", "nowhere")
    assert_clean_error(result, code=2)
    assert result.stderr.startswith(
        "error: invalid value 'nowhere' for '--python-platform <PYTHON_PLATFORM>'\n"
        "  [possible values: windows, linux, macos, x86_64-pc-windows-msvc, ")


def test_exclude_newer_no_build_and_resolution(run: Runner, index: PackageIndex,
                                               workdir: Path) -> None:
    write(workdir / "n.in", "n\n")
    bare = ("--no-header", "--no-annotate")
    assert ok(compile_(run, index, "n.in", *bare)) == "n==2.0\n"
    assert ok(compile_(run, index, "n.in", *bare, "--exclude-newer", "2024-03-01")) == "n==1.0\n"
    assert ok(compile_(run, index, "n.in", *bare, "--resolution", "lowest")) == "n==1.0\n"
    write(workdir / "s.in", "s\n")
    assert ok(compile_(run, index, "s.in", *bare)) == "s==1.0\n"
    for flags in (["--no-build"], ["--only-binary", ":all:"], ["--only-binary", "s"]):
        result = compile_(run, index, "s.in", *flags)
        assert result.returncode == 1, (flags, result)
        assert "No solution found when resolving dependencies" in result.stderr


def test_header_options(run: Runner, index: PackageIndex, workdir: Path) -> None:
    write(workdir / "e.in", "e\n")
    out = ok(compile_(run, index, "e.in", "--custom-compile-command", "make lock",
                      "--no-annotate"))
    assert out == f"{HEADER}\n#    make lock\ne==1.0\n"
    out = ok(compile_(run, index, "e.in", "--no-annotate",
                      env={"UV_CUSTOM_COMPILE_COMMAND": "./lock.sh"}))
    assert out == f"{HEADER}\n#    ./lock.sh\ne==1.0\n"
    out = ok(run("pip", "compile", "e.in", "-i", index.url, "--emit-index-url", "-U",
                 "--no-annotate"))
    assert out == (f"{HEADER}\n#    puv pip compile e.in -i {index.url} --emit-index-url "
                   f"--no-annotate\n--index-url {index.url}\n\ne==1.0\n")


# -- settings precedence and bad values ------------------------------------------------------


def test_resolution_setting_precedence(run: Runner, index: PackageIndex,
                                       workdir: Path) -> None:
    write(workdir / "n.in", "n\n")
    bare = ("--no-header", "--no-annotate")
    write(workdir / "pyproject.toml", '[tool.uv]\nresolution = "lowest"\n')
    assert ok(compile_(run, index, "n.in", *bare)) == "n==1.0\n"
    # `[tool.uv.pip]` comes before `[tool.uv]` for a pip command.
    write(workdir / "pyproject.toml", '[tool.uv]\nresolution = "lowest"\n'
                                      '[tool.uv.pip]\nresolution = "highest"\n')
    assert ok(compile_(run, index, "n.in", *bare)) == "n==2.0\n"
    # The environment comes before the files, the command line before the environment.
    assert ok(compile_(run, index, "n.in", *bare, env={"UV_RESOLUTION": "lowest"})) == \
        "n==1.0\n"
    assert ok(compile_(run, index, "n.in", *bare, "--resolution", "highest",
                       env={"UV_RESOLUTION": "lowest"})) == "n==2.0\n"


def test_pip_table_output_options(run: Runner, index: PackageIndex, workdir: Path) -> None:
    write(workdir / "e.in", "e\n")
    write(workdir / "pyproject.toml", '[tool.uv.pip]\nno-header = true\nno-annotate = true\n'
                                      'exclude-newer = "2024-03-01"\n')
    assert ok(compile_(run, index, "e.in")) == "e==1.0\n"
    assert ok(compile_(run, index, "e.in", "--header", "--annotate")).startswith(HEADER)


def test_bad_setting_values_are_one_clear_error(run: Runner, index: PackageIndex,
                                                workdir: Path) -> None:
    write(workdir / "n.in", "n\n")
    result = compile_(run, index, "n.in", env={"UV_RESOLUTION": "newest"})
    assert assert_clean_error(result) == (
        "error: Invalid value for `UV_RESOLUTION`: expected one of `highest`, `lowest`, "
        "`lowest-direct`, found `newest`\n")
    result = compile_(run, index, "n.in", env={"UV_EXCLUDE_NEWER": "soon"})
    assert assert_clean_error(result) == (
        "error: Invalid value for `UV_EXCLUDE_NEWER`: `soon` could not be parsed as a valid "
        "exclude-newer value (expected a date like `2024-01-01`, a timestamp like "
        "`2024-01-01T00:00:00Z`, or a duration like `3 days` or `P3D`)\n")
    result = compile_(run, index, "n.in", "--exclude-newer", "2024-13-01")
    assert assert_clean_error(result, code=2) == (
        "error: invalid value '2024-13-01' for '--exclude-newer <EXCLUDE_NEWER>': `2024-13-01` "
        "could not be parsed as a valid date: failed to parse two digit integer as month: "
        "parameter 'month' is not in the required range of 1..=12\n\n"
        "For more information, try '--help'.\n")
    result = compile_(run, index, "n.in", "--resolution", "newest")
    assert assert_clean_error(result, code=2) == (
        "error: invalid value 'newest' for '--resolution <RESOLUTION>'\n"
        "  [possible values: highest, lowest, lowest-direct]\n\n"
        "For more information, try '--help'.\n")
    pyproject = write(workdir / "pyproject.toml", '[tool.uv.pip]\nprerelease = "sometimes"\n')
    result = compile_(run, index, "n.in")
    assert assert_clean_error(result) == (
        f"error: Invalid value for `tool.uv.pip.prerelease` in `{pyproject}` (line 2): "
        "expected one of `disallow`, `allow`, `if-necessary`, `explicit`, "
        "`if-necessary-or-explicit`, found the string \"sometimes\"\n")
    write(workdir / "pyproject.toml", '[tool.uv]\nexclude-newer = "yesterday-ish"\n')
    result = compile_(run, index, "n.in")
    assert assert_clean_error(result) == (
        f"error: Invalid value for `tool.uv.exclude-newer` in `{pyproject}` (line 2): "
        "`yesterday-ish` could not be parsed as a valid exclude-newer value (expected a date "
        "like `2024-01-01`, a timestamp like `2024-01-01T00:00:00Z`, or a duration like "
        "`3 days` or `P3D`)\n")


def test_pyproject_as_output_is_refused(run: Runner, index: PackageIndex,
                                        workdir: Path) -> None:
    write(workdir / "e.in", "e\n")
    result = compile_(run, index, "e.in", "-o", "pyproject.toml")
    assert assert_clean_error(result, code=2) == (
        "error: `pyproject.toml` is not a supported output format for `puv pip compile` "
        "(only `requirements.txt`-style output is supported)\n")


def test_projects_with_dynamic_dependencies_are_built(run: Runner, index: PackageIndex,
                                                      workdir: Path) -> None:
    from tests.support.builds import recording_project

    project = recording_project(workdir / "proj", "Rec_Proj", dynamic=["dependencies"],
                                dependencies=["e", "b ; extra == 'x'"])
    (project.root / "setup.cfg").write_text("[metadata]\nname = rec-proj\n")
    assert ok(compile_(run, index, "proj/pyproject.toml", "--extra", "x", "--no-header")) == (
        "b==2.0\n    # via rec-proj (proj/pyproject.toml)\n"
        "e==1.0\n    # via rec-proj (proj/pyproject.toml)\n")
    assert project.hooks().count("prepare_metadata_for_build_wheel") == 1
    # setup.py / setup.cfg: the project is built; an extra nobody declares is not an error
    # then (uv only knows the extras after the build).
    assert ok(compile_(run, index, "proj/setup.cfg", "--extra", "y", "--no-header")) == (
        "e==1.0\n    # via rec-proj (proj/setup.cfg)\n")


def test_empty_input_and_no_deps(run: Runner, index: PackageIndex, workdir: Path) -> None:
    write(workdir / "empty.in", "")
    result = compile_(run, index, "empty.in")
    assert ok(result) == f"{HEADER}\n#    puv pip compile empty.in\n"
    assert masked(result.stderr) == (
        "warning: Requirements file `empty.in` does not contain any dependencies\n"
        "Resolved in [TIME]\n")
    write(workdir / "r.in", "a\ne\n")
    result = compile_(run, index, "r.in", "--no-deps", "--no-header", "--emit-index-annotation")
    assert ok(result) == (f"a==2.0\n    # via -r r.in\n    # from {index.url}\n"
                          f"e==1.0\n    # via -r r.in\n    # from {index.url}\n")
    assert masked(result.stderr) == "Resolved 2 packages in [TIME]\n"


def test_universal_lists_each_version_with_its_marker(run: Runner, package_index,
                                                      workdir: Path) -> None:
    """`--universal`: one resolution for every platform and Python from `--python-version`
    up; a package needed only somewhere, or at different versions, carries its marker
    (uv 0.13.8's output for the same inputs)."""
    from tests.lock.projects import DESCRIPTION

    index = package_index(DESCRIPTION)
    (workdir / "req.in").write_text(
        'alpha>=1\ndelta[x]\nwinonly ; sys_platform == "win32"\n')
    out = ok(compile_(run, index, "req.in", "--universal", "--python-version", "3.10",
                      "--no-header"))
    assert out == (
        "alpha==2.0.0\n    # via -r req.in\n"
        "beta==1.0.0\n    # via alpha\n"
        "delta==1.0.0\n    # via -r req.in\n"
        "gamma==1.0.0 ; python_full_version < '3.11'\n    # via delta\n"
        "gamma==2.0.0 ; python_full_version >= '3.11'\n    # via delta\n"
        "winonly==1.0.0 ; sys_platform == 'win32'\n    # via -r req.in\n")


def test_universal_fork_strategy_fewest_takes_one_version(run: Runner, package_index,
                                                          workdir: Path) -> None:
    """`--fork-strategy fewest`: no split on Requires-Python; the version every Python can
    use is taken (gamma 2.0.0 needs Python 3.11)."""
    from tests.lock.projects import DESCRIPTION

    index = package_index(DESCRIPTION)
    (workdir / "req.in").write_text("gamma\n")
    out = ok(compile_(run, index, "req.in", "--universal", "--python-version", "3.10",
                      "--no-header", "--no-annotate", "--fork-strategy", "fewest"))
    assert out == "gamma==1.0.0\n"
    out = ok(compile_(run, index, "req.in", "--universal", "--python-version", "3.10",
                      "--no-header", "--no-annotate"))
    assert out == ("gamma==1.0.0 ; python_full_version < '3.11'\n"
                   "gamma==2.0.0 ; python_full_version >= '3.11'\n")
