"""Which indexes a run asks, in which order, and with which credentials."""

from __future__ import annotations

import pytest

from puv.errors import SettingsError
from puv.index.locations import PYPI_URL, Index, IndexLocations
from puv.net.auth import CredentialStore
from puv.settings import CliSettings, load_settings


@pytest.fixture
def load(tmp_path):
    """`load(cli=..., pyproject=..., environ=...)` -> (IndexLocations, CredentialStore)."""

    def make(*, pyproject: str = "", environ: dict[str, str] | None = None, **cli):
        project = tmp_path / "project"
        project.mkdir(exist_ok=True)
        (project / "pyproject.toml").write_text(
            '[project]\nname = "p"\nversion = "0"\n' + pyproject)
        home = tmp_path / "home"
        environ = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
                   "XDG_CONFIG_DIRS": str(home / "etc"), **(environ or {})}
        settings = load_settings(CliSettings(**cli), project_dir=str(project), environ=environ)
        credentials = CredentialStore(use_netrc=False)
        return IndexLocations.from_settings(settings, credentials, environ=environ), credentials

    return make


def urls(locations: IndexLocations) -> list[str]:
    return [index.url for index in locations.indexes]


def test_pypi_is_the_default_index_and_comes_last(load):
    locations, _ = load(index=("https://a.example/simple",))
    assert urls(locations) == ["https://a.example/simple/", PYPI_URL]
    assert locations.indexes[-1].default
    assert not locations.indexes[0].default


def test_index_entries_come_before_the_default_in_the_order_given(load):
    locations, _ = load(index=("first=https://a.example/simple", "https://b.example/simple/"),
                        extra_index_url=("https://c.example/simple",),
                        default_index="https://default.example/simple",
                        environ={"UV_INDEX": "https://d.example/simple"})
    assert urls(locations) == ["https://a.example/simple/", "https://b.example/simple/",
                               "https://c.example/simple/", "https://d.example/simple/",
                               "https://default.example/simple/"]
    assert locations.indexes[0].name == "first"


def test_default_index_replaces_pypi(load):
    locations, _ = load(default_index="https://mirror.example/simple")
    assert urls(locations) == ["https://mirror.example/simple/"]
    legacy, _ = load(environ={"UV_INDEX_URL": "https://legacy.example/simple"})
    assert urls(legacy) == ["https://legacy.example/simple/"]


def test_configured_indexes_follow_command_line_ones_and_named_default_keeps_its_name(load):
    locations, _ = load(index=("https://cli.example/simple",), pyproject="""
[[tool.uv.index]]
name = "corp"
url = "https://corp.example/simple"
default = true

[[tool.uv.index]]
name = "extra"
url = "https://extra.example/simple"
""")
    assert [(i.url, i.name, i.default) for i in locations.indexes] == [
        ("https://cli.example/simple/", None, False),
        ("https://extra.example/simple/", "extra", False),
        ("https://corp.example/simple/", "corp", True),
    ]


def test_credentials_in_index_urls_are_learned_and_removed(load):
    locations, credentials = load(index=("https://user:secret@a.example/simple",),
                                  default_index="https://token@b.example/simple")
    assert urls(locations) == ["https://a.example/simple/", "https://b.example/simple/"]
    found = credentials.for_url("https://a.example/simple/x/")
    assert found is not None and (found.username, found.password) == ("user", "secret")
    token = credentials.for_url("https://b.example/simple/x/")
    assert token is not None and (token.username, token.password) == ("token", None)


def test_named_index_credentials_from_the_environment(load):
    locations, credentials = load(
        index=("my-index=https://private.example/simple",),
        environ={"UV_INDEX_MY_INDEX_USERNAME": "alice", "UV_INDEX_MY_INDEX_PASSWORD": "s3cr3t"})
    assert locations.indexes[0].name == "my-index"
    found = credentials.for_url("https://private.example/simple/pkg/")
    assert found is not None and (found.username, found.password) == ("alice", "s3cr3t")
    assert credentials.for_url("https://pypi.org/simple/pkg/") is None


def test_explicit_index_is_only_asked_for_packages_pinned_to_it(load):
    locations, _ = load(pyproject="""
[[tool.uv.index]]
name = "torch"
url = "https://torch.example/whl"
explicit = true
""")
    assert [i.url for i in locations.for_package()] == [PYPI_URL]
    assert [i.url for i in locations.for_package("torch")] == ["https://torch.example/whl/"]


def test_unknown_pinned_index_error_lists_defined_names(load):
    locations, _ = load(index=("alpha=https://a.example/simple", "beta=https://b.example/simple"))
    with pytest.raises(SettingsError) as caught:
        locations.for_package("gamma")
    assert str(caught.value) == (
        "Package source refers to the index `gamma`, which is not defined")
    assert caught.value.hint == ('define it with `[[tool.uv.index]]` and `name = "gamma"` '
                                 "(defined names: `alpha`, `beta`)")


def test_unknown_pinned_index_without_any_names(load):
    locations, _ = load()
    with pytest.raises(SettingsError) as caught:
        locations.for_package("x")
    assert caught.value.hint is not None and caught.value.hint.endswith("(defined names: none)")


@pytest.mark.parametrize("name", ["has space", "slash/name", "ünïcode", ""])
def test_invalid_index_name_is_an_error(load, name):
    with pytest.raises(SettingsError) as caught:
        load(pyproject=f'[[tool.uv.index]]\nname = "{name}"\nurl = "https://x.example/s"\n')
    assert str(caught.value).startswith(f"Invalid index name `{name}` in `index[0].name`")


def test_first_definition_of_a_name_wins(load):
    locations, _ = load(index=("dup=https://first.example/simple",), pyproject="""
[[tool.uv.index]]
name = "dup"
url = "https://second.example/simple"
""")
    assert locations.named("dup").url == "https://first.example/simple/"
    assert "https://second.example/simple/" not in urls(locations)


def test_no_index_drops_every_index_but_keeps_find_links(load, tmp_path):
    locations, _ = load(no_index=True, find_links=(str(tmp_path),))
    assert locations.indexes == ()
    assert locations.for_package() == []
    assert locations.find_links == (str(tmp_path),)


def test_find_links_credentials_are_learned(load):
    locations, credentials = load(find_links=("https://user:pw@links.example/flat/",))
    assert locations.find_links == ("https://links.example/flat/",)
    assert credentials.for_url("https://links.example/files/a.whl").password == "pw"


def test_index_strategy_comes_from_settings(load):
    assert load()[0].strategy == "first-index"
    assert load(index_strategy="unsafe-best-match")[0].strategy == "unsafe-best-match"
    assert load(environ={"UV_INDEX_STRATEGY": "unsafe-first-match"})[0].strategy == (
        "unsafe-first-match")


def test_index_urls_and_cache_keys():
    index = Index("https://a.example/simple")
    assert index.url == "https://a.example/simple/"
    assert index.project_url("foo") == "https://a.example/simple/foo/"
    assert Index(PYPI_URL).cache_key == "pypi.org"
    assert index.cache_key.startswith("idx_")
    assert index.cache_key != Index("https://b.example/simple").cache_key
    assert Index("https://a.example/flat.html", flat=True).url == "https://a.example/flat.html"
