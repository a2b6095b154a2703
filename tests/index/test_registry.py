"""The registry against a real local index: which indexes are asked, metadata by PEP 658, by
range requests or by download, sdists, broken distributions, and find-links."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

from puv.core.metadata import CoreMetadata
from puv.errors import HashMismatch, MetadataError, PackageIndexError
from puv.index.locations import Index
from puv.index.registry import NeedsBuild, Registry
from tests.index.conftest import files_under
from tests.support.builder import BuiltFile

DESCRIPTION = {
    "a": {"1.0.0": {"requires": ["b>=1"]}, "2.0.0": {"requires": ["b>=2"],
                                                     "extras": {"x": ["c"]}}},
    "b": ["1.0.0", "2.0.0"],
    "c": {"1.0": {"sdist": True, "wheel": False}},
}


def newest(registry: Registry, name: str, *, wheel: bool | None = None):
    """The first file of the newest version of `name` (a wheel or an sdist if asked)."""
    project = registry.fetch_projects([name])[name]
    files = project.files(project.versions[0])
    if wheel is not None:
        files = [c for c in files if c.is_wheel == wheel]
    return files[0]


def paths(index) -> list[str]:
    return [r.path for r in index.requests]


# Which indexes are asked -----------------------------------------------------------------


def test_explicit_index_is_not_consulted_for_unpinned_packages(package_index, registry):
    main = package_index({"a": ["1.0.0"]})
    private = package_index({"a": ["9.0.0"]})
    reg = registry(Index(private.url, name="private", explicit=True), main.url)
    project = reg.fetch_projects(["a"])["a"]
    assert [str(v) for v in project.versions] == ["1.0.0"]
    assert private.requests == []


def test_explicit_index_is_consulted_when_pinned(package_index, registry):
    main = package_index({"a": ["1.0.0"]})
    private = package_index({"a": ["9.0.0"]})
    reg = registry(Index(private.url, name="private", explicit=True), main.url)
    project = reg.loop.run(reg.project("a", pinned_index="private"))
    assert [str(v) for v in project.versions] == ["9.0.0"]
    assert paths(private) == ["/simple/a/"]
    assert main.requests == []


def test_first_index_never_asks_the_second_index_for_a_project_the_first_has(
        package_index, registry):
    first = package_index({"a": ["1.0.0"]})
    second = package_index({"a": ["2.0.0"], "b": ["1.0.0"]})
    reg = registry(first.url, second.url)
    projects = reg.fetch_projects(["a", "b"])
    assert [str(v) for v in projects["a"].versions] == ["1.0.0"]
    assert [str(v) for v in projects["b"].versions] == ["1.0.0"]
    assert "/simple/a/" not in paths(second)
    assert paths(second) == ["/simple/b/"]  # b is not on the first index: asked there
    assert sorted(paths(first)) == ["/simple/a/", "/simple/b/"]


def test_unsafe_best_match_asks_every_index_and_takes_the_best_version(package_index, registry):
    first = package_index({"a": ["1.0.0"]})
    second = package_index({"a": ["2.0.0"]})
    reg = registry(first.url, second.url, strategy="unsafe-best-match")
    project = reg.fetch_projects(["a"])["a"]
    assert [str(v) for v in project.versions] == ["2.0.0", "1.0.0"]
    assert project.files(Version("2.0.0"))[0].file.url.startswith(second.base_url)
    assert paths(first) == ["/simple/a/"] and paths(second) == ["/simple/a/"]


def test_unknown_project_is_empty_not_an_error(package_index, registry):
    index = package_index({"a": ["1.0.0"]})
    project = registry(index.url).fetch_projects(["nope"])["nope"]
    assert not project


def test_non_normalized_name_is_asked_normalized(package_index, registry):
    index = package_index({"Foo.Bar": ["1.0"]})
    project = registry(index.url).fetch_projects(["Foo_Bar"])["foo-bar"]
    assert [str(v) for v in project.versions] == ["1.0"]
    assert paths(index) == ["/simple/foo-bar/"]


def test_server_error_on_a_page_names_the_index_after_retries(package_index, registry):
    index = package_index({"a": ["1.0.0"]})
    index.fail("/simple/a/", status=500, times=None)
    with pytest.raises(Exception) as caught:
        registry(index.url, retries=2).fetch_projects(["a"])
    assert str(caught.value) == (f"Failed to fetch `{index.url}a/`: HTTP status 500 Internal "
                                 "Server Error (after 2 retries)")


def test_unexpected_status_on_a_page_is_an_index_error(package_index, registry):
    index = package_index({"a": ["1.0.0"]})
    index.fail("/simple/a/", status=418, times=None)
    with pytest.raises(PackageIndexError) as caught:
        registry(index.url).fetch_projects(["a"])
    assert str(caught.value) == f"The index `{index.url}` answered HTTP 418 for `a`"


# Metadata --------------------------------------------------------------------------------


def test_metadata_via_pep_658_fetches_only_the_metadata_file(package_index, registry):
    index = package_index(DESCRIPTION)
    reg = registry(index.url)
    candidate = newest(reg, "a")
    index.clear_requests()
    [metadata] = reg.fetch_metadata([candidate])
    assert isinstance(metadata, CoreMetadata)
    assert (metadata.name, str(metadata.version)) == ("a", "2.0.0")
    assert [str(r) for r in metadata.requires_dist] == ["b>=2", 'c; extra == "x"']
    assert metadata.provides_extra == ("x",)
    assert paths(index) == ["/files/a-2.0.0-py3-none-any.whl.metadata"]


def test_metadata_via_range_requests_never_fetches_the_whole_wheel(package_index, registry,
                                                                   cache_dir):
    index = package_index(DESCRIPTION, metadata=False)
    reg = registry(index.url)
    candidates = [newest(reg, "a"), newest(reg, "b")]
    index.clear_requests()
    results = reg.fetch_metadata(candidates)
    assert [(m.name, str(m.version)) for m in results] == [("a", "2.0.0"), ("b", "2.0.0")]
    assert [str(r) for r in results[0].requires_dist] == ["b>=2", 'c; extra == "x"']
    wheel_requests = [r for r in index.requests if r.path.endswith(".whl")]
    assert wheel_requests and all(r.headers.get("range") for r in wheel_requests)
    assert not any(r.path.endswith(".metadata") for r in index.requests)
    assert not [f for f in files_under(cache_dir) if f.endswith(".whl")]


def test_metadata_via_download_when_the_server_ignores_ranges(package_index, registry):
    index = package_index(DESCRIPTION, metadata=False, range_requests=False)
    reg = registry(index.url)
    candidate = newest(reg, "a")
    index.clear_requests()
    [metadata] = reg.fetch_metadata([candidate])
    assert isinstance(metadata, CoreMetadata) and str(metadata.version) == "2.0.0"
    assert paths(index) == ["/files/a-2.0.0-py3-none-any.whl"]  # the whole file, once
    # That whole file was kept: the download needs no request, and it is the real file.
    path = reg.loop.run(reg.download(candidate))
    assert paths(index) == ["/files/a-2.0.0-py3-none-any.whl"]
    assert Path(path).read_bytes() == index.file("a-2.0.0-py3-none-any.whl").path.read_bytes()


def test_sdist_metadata_comes_from_its_pkg_info(package_index, registry):
    index = package_index(DESCRIPTION)
    reg = registry(index.url)
    [metadata] = reg.fetch_metadata([newest(reg, "c", wheel=False)])
    assert isinstance(metadata, CoreMetadata)
    assert (metadata.name, str(metadata.version)) == ("c", "1.0")
    assert paths(index)[-1] == "/files/c-1.0.tar.gz"


def test_metadata_is_cached_and_not_fetched_again(package_index, registry, cache_dir):
    index = package_index(DESCRIPTION, metadata=False)
    first = registry(index.url)
    candidates = [newest(first, "a"), newest(first, "c")]
    first.fetch_metadata(candidates)
    index.clear_requests()
    second = registry(index.url)
    again = second.fetch_metadata([newest(second, "a"), newest(second, "c")])
    assert [(m.name, str(m.version)) for m in again] == [("a", "2.0.0"), ("c", "1.0")]
    assert index.requests == []


def test_metadata_file_hash_mismatch_is_rejected(package_index, registry):
    index = package_index(DESCRIPTION)
    reg = registry(index.url)
    candidate = newest(reg, "a")
    index.corrupt("/files/a-2.0.0-py3-none-any.whl.metadata")
    with pytest.raises(HashMismatch) as caught:
        reg.fetch_metadata([candidate])
    expected = index.file("a-2.0.0-py3-none-any.whl").metadata_sha256
    assert str(caught.value).startswith(
        "Hash mismatch for `a-2.0.0-py3-none-any.whl.metadata`:\n"
        f"  Expected: sha256:{expected}\n  Computed: sha256:")


def lying_wheel(directory: Path) -> BuiltFile:
    """`a-3.0-py3-none-any.whl` whose METADATA says it is `b` 3.0."""
    metadata = b"Metadata-Version: 2.1\nName: b\nVersion: 3.0\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/__init__.py", "")
        archive.writestr("a-3.0.dist-info/METADATA", metadata)
        archive.writestr("a-3.0.dist-info/WHEEL", "Wheel-Version: 1.0\nTag: py3-none-any\n")
        archive.writestr("a-3.0.dist-info/RECORD", "")
    path = directory / "a-3.0-py3-none-any.whl"
    path.write_bytes(buffer.getvalue())
    return BuiltFile(name="a", version="3.0", filename=path.name, path=path,
                     sha256=hashlib.sha256(buffer.getvalue()).hexdigest(),
                     size=len(buffer.getvalue()), requires_python=None, yanked=False,
                     metadata=metadata, upload_time="2024-01-01T00:00:00Z", kind="wheel")


@pytest.mark.parametrize("options", [{}, {"metadata": False},
                                     {"metadata": False, "range_requests": False}],
                         ids=["pep658", "ranges", "download"])
def test_wheel_whose_metadata_names_another_project_is_an_error(package_index, registry,
                                                                tmp_path, options):
    index = package_index({"b": ["1.0"]}, **options)
    index.add_files([lying_wheel(tmp_path)])
    reg = registry(index.url)
    with pytest.raises(MetadataError) as caught:
        reg.fetch_metadata([newest(reg, "a")])
    assert str(caught.value) == ("The metadata of `a-3.0-py3-none-any.whl` describes `b==3.0`, "
                                 "but its file name says `a==3.0`")


def test_wheel_without_metadata_is_an_error(package_index, registry, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a/__init__.py", "")
    links = tmp_path / "links"
    links.mkdir()
    (links / "a-1.0-py3-none-any.whl").write_bytes(buffer.getvalue())
    index = package_index({"b": ["1.0"]})
    reg = registry(index.url, find_links=(str(links),))
    with pytest.raises(MetadataError, match=r"has no readable \.dist-info/METADATA"):
        reg.fetch_metadata([newest(reg, "a")])


def test_sdist_with_dynamic_dependencies_needs_a_build(package_index, registry, tmp_path):
    import tarfile

    links = tmp_path / "links"
    links.mkdir()
    pkg_info = b"Metadata-Version: 2.2\nName: d\nVersion: 1.0\nDynamic: Requires-Dist\n"
    with tarfile.open(links / "d-1.0.tar.gz", "w:gz") as archive:
        info = tarfile.TarInfo("d-1.0/PKG-INFO")
        info.size = len(pkg_info)
        archive.addfile(info, io.BytesIO(pkg_info))
    index = package_index({"b": ["1.0"]})
    reg = registry(index.url, find_links=(str(links),))
    [outcome] = reg.fetch_metadata([newest(reg, "d")])
    assert isinstance(outcome, NeedsBuild)
    assert outcome.candidate.file.filename == "d-1.0.tar.gz"


# Find-links ------------------------------------------------------------------------------


def test_find_links_directory_files_are_merged_with_the_index(package_index, registry):
    index = package_index({"a": ["1.0.0"]})
    other = package_index({"a": ["2.0.0"], "b": ["1.0.0"]})
    reg = registry(index.url, find_links=(str(other.find_links_dir),))
    project = reg.fetch_projects(["a"])["a"]
    assert [str(v) for v in project.versions] == ["2.0.0", "1.0.0"]
    [local] = project.files(Version("2.0.0"))
    assert local.index is None and local.file.url.startswith("file://")
    [metadata] = reg.fetch_metadata([local])
    assert str(metadata.version) == "2.0.0"
    assert reg.loop.run(reg.download(local)) == str(other.find_links_dir / local.file.filename)
    assert other.requests == []


def test_find_links_html_page_files_are_merged_with_the_index(package_index, registry):
    index = package_index({"a": ["1.0.0"]})
    other = package_index({"a": ["1.0.0", "2.0.0"]})
    reg = registry(index.url, find_links=(other.find_links_html_url,))
    project = reg.fetch_projects(["a"])["a"]
    assert [str(v) for v in project.versions] == ["2.0.0", "1.0.0"]
    # 1.0.0 is on both: the page's file and the index's file are both candidates.
    hosts = sorted(c.file.url.split("/")[2] for c in project.files(Version("1.0.0")))
    assert hosts == sorted([f"127.0.0.1:{index.port}", f"127.0.0.1:{other.port}"])
    [metadata] = reg.fetch_metadata([project.files(Version("2.0.0"))[0]])
    assert str(metadata.version) == "2.0.0"
    assert paths(other) == ["/flat/", "/files/a-2.0.0-py3-none-any.whl.metadata"]


def test_unreachable_find_links_page_is_an_error(package_index, registry):
    index = package_index({"a": ["1.0.0"]})
    index.fail("/flat/", status=404, times=None)
    reg = registry(index.url, find_links=(index.find_links_html_url,))
    with pytest.raises(PackageIndexError) as caught:
        reg.fetch_projects(["a"])
    assert str(caught.value) == (f"Failed to read the find-links page "
                                 f"`{index.find_links_html_url}`: HTTP 404")


def test_download_verifies_and_caches_the_file(package_index, registry, cache_dir):
    index = package_index(DESCRIPTION)
    reg = registry(index.url)
    candidate = newest(reg, "b")
    index.clear_requests()
    path = reg.loop.run(reg.download(candidate))
    assert path.startswith(cache_dir)
    assert Path(path).read_bytes() == index.file("b-2.0.0-py3-none-any.whl").path.read_bytes()
    assert reg.loop.run(reg.download(candidate)) == path
    assert paths(index) == ["/files/b-2.0.0-py3-none-any.whl"]
    assert not [f for f in os.listdir(os.path.dirname(path)) if f.endswith(".tmp")]


def test_corrupt_download_through_the_registry_leaves_no_file(package_index, registry,
                                                              cache_dir):
    index = package_index(DESCRIPTION)
    reg = registry(index.url)
    candidate = newest(reg, "b")
    index.corrupt("/files/b-2.0.0-py3-none-any.whl")
    with pytest.raises(HashMismatch, match=r"b-2\.0\.0-py3-none-any\.whl"):
        reg.loop.run(reg.download(candidate))
    assert not [f for f in files_under(cache_dir) if ".whl" in f and "metadata" not in f]


def test_whole_wheel_sent_for_a_range_request_is_verified_before_it_is_kept(
        package_index, registry, cache_dir):
    index = package_index(DESCRIPTION, metadata=False, range_requests=False)
    reg = registry(index.url)
    candidate = newest(reg, "a")
    index.corrupt("/files/a-2.0.0-py3-none-any.whl")  # METADATA itself stays readable
    with pytest.raises(HashMismatch, match=r"a-2\.0\.0-py3-none-any\.whl"):
        reg.fetch_metadata([candidate])
    assert not [f for f in files_under(cache_dir) if "a-2.0.0" in f]
    index.clear_faults()
    [metadata] = reg.fetch_metadata([candidate])
    assert str(metadata.version) == "2.0.0"
    path = reg.loop.run(reg.download(candidate))
    assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == candidate.hashes[0].digest


@pytest.mark.parametrize("formats", [("html",), ("json",)])
@pytest.mark.parametrize("relative_urls", [False, True], ids=["absolute", "relative"])
def test_html_and_json_pages_with_absolute_or_relative_links(package_index, registry, formats,
                                                             relative_urls):
    index = package_index(DESCRIPTION, formats=formats, relative_urls=relative_urls)
    reg = registry(index.url)
    project = reg.fetch_projects(["a"])["a"]
    assert [str(v) for v in project.versions] == ["2.0.0", "1.0.0"]
    candidate = project.files(project.versions[0])[0]
    assert candidate.file.url == index.file_url("a-2.0.0-py3-none-any.whl")
    assert candidate.hashes[0].digest == index.file("a-2.0.0-py3-none-any.whl").sha256
    assert candidate.file.core_metadata is not None
    [metadata] = reg.fetch_metadata([candidate])
    assert str(metadata.version) == "2.0.0"
    assert "/files/a-2.0.0-py3-none-any.whl.metadata" in paths(index)
    if formats == ("json",):
        assert candidate.file.size == index.file("a-2.0.0-py3-none-any.whl").size


def test_yanked_files_and_requires_python_reach_the_candidates(package_index, registry):
    index = package_index({"a": {"1.0": {"yanked": "broken build"},
                                 "2.0": {"requires_python": ">=3.8"}, "3.0": {"yanked": True}}})
    project = registry(index.url).fetch_projects(["a"])["a"]
    files = {str(v): project.files(v)[0].file for v in project.versions}
    assert files["1.0"].yanked == "broken build"
    assert files["3.0"].yanked == "" and files["3.0"].is_yanked
    assert files["2.0"].yanked is None
    assert files["2.0"].requires_python == ">=3.8"


def test_advertised_metadata_file_that_is_missing_falls_back_to_ranges(package_index, registry):
    index = package_index(DESCRIPTION)
    reg = registry(index.url)
    candidate = newest(reg, "a")
    index.fail("/files/a-2.0.0-py3-none-any.whl.metadata", status=404, times=None)
    index.clear_requests()
    [metadata] = reg.fetch_metadata([candidate])
    assert str(metadata.version) == "2.0.0"
    assert paths(index)[0] == "/files/a-2.0.0-py3-none-any.whl.metadata"
    assert all(r.headers.get("range") for r in index.requests[1:])
