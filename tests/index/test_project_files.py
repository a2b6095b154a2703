"""Index strategies: how the pages of several indexes combine into one project's versions."""

from __future__ import annotations

import pytest
from packaging.version import Version

from puv.cache import Cache
from puv.index.locations import Index, IndexLocations
from puv.index.registry import Page, ProjectFiles, Registry
from puv.index.simple import IndexFile
from puv.net.client import HttpOptions

FIRST = Index("https://first.example/simple/", name="first")
SECOND = Index("https://second.example/simple/", name="second", default=True)


def page(host: str, *filenames: str) -> Page:
    return Page.from_files("a", [IndexFile(f, f"https://{host}/files/{f}") for f in filenames])


def versions(project: ProjectFiles) -> list[str]:
    return [str(v) for v in project.versions]


def hosts(project: ProjectFiles, version: str) -> list[str]:
    return [c.file.url.split("/")[2] for c in project.files(Version(version))]


def test_page_groups_files_by_version_and_drops_other_projects():
    grouped = page("x", "a-1.0.tar.gz", "a-1.0-py3-none-any.whl", "a-2.0.tar.gz",
                   "b-1.0.tar.gz", "a_b-1.0.tar.gz", "not-a-dist.txt")
    assert sorted(grouped.version_texts()) == ["1.0", "2.0"]
    assert [f.filename for f in grouped.files("1.0")] == ["a-1.0.tar.gz",
                                                          "a-1.0-py3-none-any.whl"]
    again = Page.from_payload(grouped.to_payload())
    assert [f.filename for f in again.all_files()] == [f.filename for f in grouped.all_files()]


def test_versions_are_newest_first_and_invalid_versions_are_skipped():
    project = ProjectFiles("a", "first-index", [(FIRST, page(
        "first.example", "a-1.0.tar.gz", "a-10.0.tar.gz", "a-2.0rc1.tar.gz",
        "a-notaversion.tar.gz"))])
    assert versions(project) == ["10.0", "2.0rc1", "1.0"]
    assert project
    assert not ProjectFiles("a", "first-index", [])


def test_unsafe_best_match_takes_the_best_version_anywhere_and_the_first_index_on_ties():
    project = ProjectFiles("a", "unsafe-best-match", [
        (FIRST, page("first.example", "a-1.0.tar.gz", "a-2.0.tar.gz")),
        (SECOND, page("second.example", "a-2.0.tar.gz", "a-3.0.tar.gz")),
    ])
    assert versions(project) == ["3.0", "2.0", "1.0"]
    assert hosts(project, "3.0") == ["second.example"]
    assert hosts(project, "2.0") == ["first.example"]  # never mixed with the second's file
    assert project.found_on == [FIRST, SECOND]


def test_unsafe_first_match_tries_the_first_index_versions_before_the_next():
    project = ProjectFiles("a", "unsafe-first-match", [
        (FIRST, page("first.example", "a-1.0.tar.gz", "a-2.0.tar.gz")),
        (SECOND, page("second.example", "a-2.0.tar.gz", "a-3.0.tar.gz", "a-0.5.tar.gz")),
    ])
    assert versions(project) == ["2.0", "1.0", "3.0", "0.5"]
    assert hosts(project, "2.0") == ["first.example"]
    assert hosts(project, "3.0") == ["second.example"]


def test_find_links_files_are_merged_with_the_index_files():
    links = Page.from_files("a", [IndexFile("a-1.0-py3-none-any.whl", "file:///l/a-1.0-py3-none-any.whl"),
                                  IndexFile("a-0.1.tar.gz", "file:///l/a-0.1.tar.gz")])
    project = ProjectFiles("a", "first-index", [
        (FIRST, page("first.example", "a-1.0.tar.gz", "a-2.0.tar.gz"))], links)
    assert versions(project) == ["2.0", "1.0", "0.1"]
    files = project.files(Version("1.0"))
    assert [(c.file.filename, c.index) for c in files] == [
        ("a-1.0-py3-none-any.whl", None), ("a-1.0.tar.gz", FIRST)]
    assert [c.is_wheel for c in files] == [True, False]


class FakePages(Registry):
    """A registry whose pages come from a dict; records which index was asked for what."""

    def __init__(self, pages: dict[str, Page], strategy: str, tmp_path) -> None:
        locations = IndexLocations([FIRST, SECOND], strategy=strategy)
        super().__init__(locations, Cache(str(tmp_path / "cache")), HttpOptions(offline=True))
        self.pages = pages
        self.asked: list[tuple[str | None, str]] = []

    async def page(self, index: Index, name: str) -> Page | None:
        self.asked.append((index.name, name))
        return self.pages.get(index.name or "")


@pytest.fixture
def registries(tmp_path):
    made: list[Registry] = []

    def make(pages: dict[str, Page], strategy: str) -> FakePages:
        registry = FakePages(pages, strategy, tmp_path)
        made.append(registry)
        return registry

    yield make
    for registry in made:
        registry.close()


def test_first_index_stops_at_the_first_index_that_has_the_project(registries):
    registry = registries({"first": page("first.example", "a-1.0.tar.gz"),
                           "second": page("second.example", "a-9.0.tar.gz")}, "first-index")
    project = registry.fetch_projects(["A"])["a"]
    assert versions(project) == ["1.0"]  # 9.0 on the later index is never considered
    assert registry.asked == [("first", "a")]
    assert project.found_on == [FIRST]


def test_first_index_falls_through_indexes_without_the_project(registries):
    registry = registries({"second": page("second.example", "a-9.0.tar.gz")}, "first-index")
    project = registry.fetch_projects(["a"])["a"]
    assert versions(project) == ["9.0"]
    assert registry.asked == [("first", "a"), ("second", "a")]


@pytest.mark.parametrize("strategy", ["unsafe-first-match", "unsafe-best-match"])
def test_unsafe_strategies_ask_every_index(registries, strategy):
    registry = registries({"first": page("first.example", "a-1.0.tar.gz"),
                           "second": page("second.example", "a-9.0.tar.gz")}, strategy)
    project = registry.fetch_projects(["a"])["a"]
    assert sorted(registry.asked) == [("first", "a"), ("second", "a")]
    assert set(versions(project)) == {"1.0", "9.0"}


def test_project_missing_everywhere_is_empty(registries):
    registry = registries({}, "first-index")
    project = registry.fetch_projects(["a"])["a"]
    assert not project and project.versions == []
