"""`lock.export`: `uv.lock` as `requirements.txt` and `pylock.toml`, byte for byte as uv 0.13.8
exports the same locks.

The locks are the round-trip fixtures (`tests/lock/fixtures/*/uv.lock`, written by uv against
the index of `tests/lock/projects.py`) and `COMBO_LOCK`; the expected texts are `uv export
--frozen --no-header` on those locks, with the options named in each case.

`COMBO_LOCK` is uv's lock of this project against the same index (files and metadata tables
left out, and `--no-hashes` in its cases): supported environments, Python forks, a marker on
an extra's dependency and on a group's, whose markers combine on the way down:

    [project]
    name = "combo"
    version = "0.1.0"
    requires-python = ">=3.9"
    dependencies = ["gamma<2; python_version < '3.11'", "gamma>=2; python_version >= '3.11'",
                    "delta[y]; python_version >= '3.10'", "alpha; sys_platform == 'darwin'"]
    [project.optional-dependencies]
    win = ["winonly; platform_machine == 'x86_64'"]
    [dependency-groups]
    dev = ["epsilon; python_version < '3.12'"]
    [tool.uv]
    environments = ["sys_platform == 'linux'", "sys_platform == 'darwin'"]
"""

from __future__ import annotations

from typing import Any

import pytest

from puv.lock._request import ExtrasRequest, GroupsRequest, InstallFilter
from puv.lock.export import (
    exported_packages,
    package_hashes,
    pylock_toml,
    requirements_txt,
)
from puv.lock.reader import read_lock
from tests.lock.projects import FIXTURES


def _export(fixture: str, roots: list[str], *, pylock: bool = False,
            extras: ExtrasRequest | None = None, groups: GroupsRequest | None = None,
            prune: tuple[str, ...] = (), emit: InstallFilter | None = None,
            project: str | None = None, annotate: bool = True, hashes: bool = True,
            editable: Any = None) -> str:
    lock = read_lock("".join(COMBO_LOCK) if fixture == "combo"
                     else (FIXTURES / fixture / "uv.lock").read_text())
    entries = exported_packages(
        lock, roots=roots, extras=extras or ExtrasRequest(),
        groups=(groups or GroupsRequest()).resolve(("dev",)), prune=prune, emit=emit,
        project=project or roots[0], annotate=annotate)
    if pylock:
        return pylock_toml(lock, entries, root=str(FIXTURES / fixture), editable=editable)
    return requirements_txt(entries, hashes=hashes, editable=editable)


# uv's arguments, and the same request to `lock.export`.
CASES: dict[str, tuple[str, list[str], dict[str, Any]]] = {
    "plain": ("plain", ["plain-app"], {}),
    "plain-pylock": ("plain", ["plain-app"], {"pylock": True}),
    "plain-everything": ("plain", ["plain-app"], {
        "extras": ExtrasRequest(all_extras=True), "groups": GroupsRequest(all_groups=True),
        "hashes": False}),
    "plain-trimmed": ("plain", ["plain-app"], {
        "prune": ("delta",), "emit": InstallFilter(no_install_project=True),
        "annotate": False, "groups": GroupsRequest(all_groups=True, no_groups=("dev",)),
        "hashes": False}),
    "markers": ("markers", ["markers"], {"hashes": False}),
    "sources": ("sources", ["sources"], {}),
    "sources-pylock": ("sources", ["sources"], {"pylock": True}),
    "sources-non-editable": ("sources", ["sources"], {"hashes": False,
                                                      "editable": "non-editable"}),
    "sources-non-editable-pylock": ("sources", ["sources"], {
        "pylock": True, "editable": "non-editable",
        "emit": InstallFilter(no_install_packages=frozenset({"alpha", "epsilon", "gamma"}))}),
    "files": ("files", ["files"], {}),
    "files-pylock": ("files", ["files"], {"pylock": True}),
    "workspace": ("workspace", ["root-app"], {"hashes": False}),
    "workspace-all": ("workspace", ["member-a", "member-b", "root-app"], {"hashes": False}),
    "workspace-pylock": ("workspace", ["root-app"], {"pylock": True}),
    "nonproject": ("nonproject", ["app"], {"groups": GroupsRequest(all_groups=True),
                                           "hashes": False}),
    "conflicts-new": ("conflicts", ["p3"], {"extras": ExtrasRequest(extras=("new",)),
                                            "hashes": False}),
    "conflicts-old-g2": ("conflicts", ["p3"], {"extras": ExtrasRequest(extras=("old",)),
                                               "groups": GroupsRequest(groups=("g2",)),
                                               "hashes": False}),
    "conflicts-g1": ("conflicts", ["p3"], {"groups": GroupsRequest(only_groups=("g1",)),
                                           "hashes": False}),
    "indexes-gpu": ("indexes", ["indexes"], {"extras": ExtrasRequest(extras=("gpu",)),
                                             "hashes": False}),
    "combo": ("combo", ["combo"], {"hashes": False}),
    "combo-everything": ("combo", ["combo"], {
        "extras": ExtrasRequest(all_extras=True), "groups": GroupsRequest(all_groups=True),
        "hashes": False}),
    "git": ("git", ["git"], {}),
    "git-pylock": ("git", ["git"], {"pylock": True}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_export_matches_uv(case: str) -> None:
    fixture, roots, options = CASES[case]
    assert _export(fixture, roots, **options) == EXPECTED[case]


def test_hashes_cover_every_file_sorted() -> None:
    lock = read_lock((FIXTURES / "plain" / "uv.lock").read_text())
    alpha = next(p for p in lock.packages if p.name == "alpha" and p.version == "2.0.0")
    assert package_hashes(alpha) == [
        "sha256:4fc964b2fa7dff075d738740de412e474226997dc5a24f2ab87d4be152fd829e",  # sdist
        "sha256:828e8eef284b88d72a4de0b15ec900ce64f27f8bf477fc10699376a6b204644d",  # wheel
    ]


def test_a_package_reached_two_ways_gets_the_union_of_their_markers() -> None:
    # `gamma` comes from `markers` itself (one version per Python range) and from `delta[x]`:
    # both paths give the same markers, written once, with both dependents.
    text = _export("markers", ["markers"], hashes=False)
    assert "gamma==1.0.0 ; python_full_version < '3.11'\n    # via\n    #   delta\n" \
        "    #   markers\n" in text


def test_a_virtual_roots_default_groups_are_left_out_for_one_member() -> None:
    # From `app/` (one member of the non-project workspace), the root's `dev` group counts only
    # when asked for by name (uv's `includes_group`); for the whole workspace it is a default.
    lock = read_lock((FIXTURES / "nonproject" / "uv.lock").read_text())

    def names(request: GroupsRequest, member_target: bool) -> list[str]:
        return sorted(e.package.name for e in exported_packages(
            lock, roots=["app"], extras=ExtrasRequest(), groups=request.resolve(("dev",)),
            member_target=member_target))

    assert names(GroupsRequest(), member_target=True) == ["alpha", "app"]
    assert names(GroupsRequest(groups=("dev",)), member_target=True) == \
        ["alpha", "app", "winonly"]
    assert names(GroupsRequest(), member_target=False) == ["alpha", "app", "winonly"]


def test_conflicting_extras_resolve_to_plain_markers() -> None:
    # `alpha 2.0.0 -> beta` carries uv's conflict markers (`extra == 'extra-2-p3-new'`); with
    # `--extra new` they resolve to true for `beta 1.0.0` and false for `beta 1.1.0rc1`.
    text = _export("conflicts", ["p3"], extras=ExtrasRequest(extras=("new",)), hashes=False)
    assert "beta==1.0.0\n" in text
    assert "1.1.0rc1" not in text
    assert "extra" not in text


def test_an_empty_export_is_an_empty_packages_array() -> None:
    lock = read_lock((FIXTURES / "markers" / "uv.lock").read_text())
    assert pylock_toml(lock, [], root="/") == (
        'lock-version = "1.0"\ncreated-by = "uv"\nrequires-python = ">=3.9"\npackages = []\n')


EXPECTED = {
    'plain': (
        '-e .\n'
        'alpha==2.0.0 \\\n'
        '    --hash=sha256:4fc964b2fa7dff075d738740de412e474226997dc5a24f2ab87d4be152fd829e \\\n'
        '    --hash=sha256:828e8eef284b88d72a4de0b15ec900ce64f27f8bf477fc10699376a6b204644d\n'
        '    # via plain-app\n'
        'beta==1.0.0 \\\n'
        '    --hash=sha256:388096d5a602591faaeda67f496078e60d43980facdbdf908a1208cce12d1b43 \\\n'
        '    --hash=sha256:61e701a0b1ad1fdeaa4216f06be79c261a2ea58112e33d35a0d191dc75f7cd7b \\\n'
        '    --hash=sha256:fee0a991ee766104b8be92200129ff755d251e1d9ee134ebfb206ce6bab73151\n'
        '    # via alpha\n'
        'delta==1.0.0 \\\n'
        '    --hash=sha256:adb9a419748c03cb4c505cae5957d460bcd344dfc17bc73e475260bca9bc0998\n'
        '    # via plain-app\n'
        "gamma==1.0.0 ; python_full_version < '3.11' \\\n"
        '    --hash=sha256:1bde4a52967b888e2f4db4ddb012b79bd611bcb27c8358976b9896148a5ff60d\n'
        '    # via delta\n'
        "gamma==2.0.0 ; python_full_version >= '3.11' \\\n"
        '    --hash=sha256:c13cf7982028719754a4d45e3b88df10b91760c695af74cd7da41b52ad1229f2\n'
        '    # via delta\n'
    ),
    'plain-pylock': (
        'lock-version = "1.0"\n'
        'created-by = "uv"\n'
        'requires-python = ">=3.10"\n'
        '\n'
        '[[packages]]\n'
        'name = "alpha"\n'
        'version = "2.0.0"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'sdist = { url = "http://127.0.0.1:9/files/alpha-2.0.0.tar.gz", upload-time = 2025-10-18T16:21:07Z, size = 4563, hashes = { sha256 = "4fc964b2fa7dff075d738740de412e474226997dc5a24f2ab87d4be152fd829e" } }\n'
        'wheels = [{ url = "http://127.0.0.1:9/files/alpha-2.0.0-py3-none-any.whl", upload-time = 2025-10-18T16:21:07Z, size = 908, hashes = { sha256 = "828e8eef284b88d72a4de0b15ec900ce64f27f8bf477fc10699376a6b204644d" } }]\n'
        '\n'
        '[[packages]]\n'
        'name = "beta"\n'
        'version = "1.0.0"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'wheels = [\n'
        '    { url = "http://127.0.0.1:9/files/beta-1.0.0-cp312-cp312-manylinux_2_17_x86_64.whl", upload-time = 2024-01-01T00:00:00Z, size = 895, hashes = { sha256 = "388096d5a602591faaeda67f496078e60d43980facdbdf908a1208cce12d1b43" } },\n'
        '    { url = "http://127.0.0.1:9/files/beta-1.0.0-cp312-cp312-win_amd64.whl", upload-time = 2024-01-01T00:00:00Z, size = 883, hashes = { sha256 = "fee0a991ee766104b8be92200129ff755d251e1d9ee134ebfb206ce6bab73151" } },\n'
        '    { url = "http://127.0.0.1:9/files/beta-1.0.0-py3-none-any.whl", upload-time = 2024-01-01T00:00:00Z, size = 876, hashes = { sha256 = "61e701a0b1ad1fdeaa4216f06be79c261a2ea58112e33d35a0d191dc75f7cd7b" } },\n'
        ']\n'
        '\n'
        '[[packages]]\n'
        'name = "delta"\n'
        'version = "1.0.0"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'wheels = [{ url = "http://127.0.0.1:9/files/delta-1.0.0-py3-none-any.whl", upload-time = 2024-01-01T00:00:00Z, size = 976, hashes = { sha256 = "adb9a419748c03cb4c505cae5957d460bcd344dfc17bc73e475260bca9bc0998" } }]\n'
        '\n'
        '[[packages]]\n'
        'name = "gamma"\n'
        'version = "1.0.0"\n'
        'marker = "python_full_version < \'3.11\'"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'wheels = [{ url = "http://127.0.0.1:9/files/gamma-1.0.0-py3-none-any.whl", upload-time = 2024-01-01T00:00:00Z, size = 887, hashes = { sha256 = "1bde4a52967b888e2f4db4ddb012b79bd611bcb27c8358976b9896148a5ff60d" } }]\n'
        '\n'
        '[[packages]]\n'
        'name = "gamma"\n'
        'version = "2.0.0"\n'
        'marker = "python_full_version >= \'3.11\'"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'wheels = [{ url = "http://127.0.0.1:9/files/gamma-2.0.0-py3-none-any.whl", upload-time = 2024-01-01T00:00:00Z, size = 908, hashes = { sha256 = "c13cf7982028719754a4d45e3b88df10b91760c695af74cd7da41b52ad1229f2" } }]\n'
        '\n'
        '[[packages]]\n'
        'name = "plain-app"\n'
        'directory = { path = ".", editable = true }\n'
    ),
    'plain-everything': (
        '-e .\n'
        'alpha==2.0.0\n'
        '    # via plain-app\n'
        'beta==1.0.0\n'
        '    # via\n'
        '    #   alpha\n'
        '    #   plain-app\n'
        'delta==1.0.0\n'
        '    # via plain-app\n'
        'epsilon==1.0.0\n'
        '    # via plain-app\n'
        "gamma==1.0.0 ; python_full_version < '3.11'\n"
        '    # via delta\n'
        "gamma==2.0.0 ; python_full_version >= '3.11'\n"
        '    # via delta\n'
    ),
    'plain-trimmed': (
        'alpha==2.0.0\n'
        'beta==1.0.0\n'
        'epsilon==1.0.0\n'
    ),
    'markers': (
        "beta==1.0.0 ; sys_platform == 'linux'\n"
        '    # via delta\n'
        'delta==1.0.0\n'
        '    # via markers\n'
        "gamma==1.0.0 ; python_full_version < '3.11'\n"
        '    # via\n'
        '    #   delta\n'
        '    #   markers\n'
        "gamma==2.0.0 ; python_full_version >= '3.11'\n"
        '    # via\n'
        '    #   delta\n'
        '    #   markers\n'
        "winonly==1.0.0 ; sys_platform == 'win32'\n"
        '    # via markers\n'
    ),
    'sources': (
        '-e .\n'
        '-e ./libs/editlib\n'
        '    # via sources\n'
        './libs/dirlib\n'
        '    # via sources\n'
        'alpha==2.0.0 \\\n'
        '    --hash=sha256:4fc964b2fa7dff075d738740de412e474226997dc5a24f2ab87d4be152fd829e \\\n'
        '    --hash=sha256:828e8eef284b88d72a4de0b15ec900ce64f27f8bf477fc10699376a6b204644d\n'
        '    # via sources\n'
        'beta @ http://127.0.0.1:9/files/beta-1.0.0-py3-none-any.whl \\\n'
        '    --hash=sha256:61e701a0b1ad1fdeaa4216f06be79c261a2ea58112e33d35a0d191dc75f7cd7b\n'
        '    # via\n'
        '    #   alpha\n'
        '    #   sources\n'
        'epsilon==1.0.0 \\\n'
        '    --hash=sha256:a773f278dedb02f54bf9c7d02a3cb0ca820ae487b036a681e9c3de10be7cf6b1\n'
        '    # via editlib\n'
        'gamma==2.0.0 \\\n'
        '    --hash=sha256:c13cf7982028719754a4d45e3b88df10b91760c695af74cd7da41b52ad1229f2\n'
        '    # via dirlib\n'
    ),
    'sources-pylock': (
        'lock-version = "1.0"\n'
        'created-by = "uv"\n'
        'requires-python = ">=3.12"\n'
        '\n'
        '[[packages]]\n'
        'name = "alpha"\n'
        'version = "2.0.0"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'sdist = { url = "http://127.0.0.1:9/files/alpha-2.0.0.tar.gz", upload-time = 2025-10-18T16:21:07Z, size = 4563, hashes = { sha256 = "4fc964b2fa7dff075d738740de412e474226997dc5a24f2ab87d4be152fd829e" } }\n'
        'wheels = [{ url = "http://127.0.0.1:9/files/alpha-2.0.0-py3-none-any.whl", upload-time = 2025-10-18T16:21:07Z, size = 908, hashes = { sha256 = "828e8eef284b88d72a4de0b15ec900ce64f27f8bf477fc10699376a6b204644d" } }]\n'
        '\n'
        '[[packages]]\n'
        'name = "beta"\n'
        'version = "1.0.0"\n'
        'archive = { url = "http://127.0.0.1:9/files/beta-1.0.0-py3-none-any.whl", hashes = { sha256 = "61e701a0b1ad1fdeaa4216f06be79c261a2ea58112e33d35a0d191dc75f7cd7b" } }\n'
        '\n'
        '[[packages]]\n'
        'name = "dirlib"\n'
        'directory = { path = "libs/dirlib", editable = false }\n'
        '\n'
        '[[packages]]\n'
        'name = "editlib"\n'
        'directory = { path = "libs/editlib", editable = true }\n'
        '\n'
        '[[packages]]\n'
        'name = "epsilon"\n'
        'version = "1.0.0"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'sdist = { url = "http://127.0.0.1:9/files/epsilon-1.0.0.tar.gz", upload-time = 2024-01-01T00:00:00Z, size = 4543, hashes = { sha256 = "a773f278dedb02f54bf9c7d02a3cb0ca820ae487b036a681e9c3de10be7cf6b1" } }\n'
        '\n'
        '[[packages]]\n'
        'name = "gamma"\n'
        'version = "2.0.0"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'wheels = [{ url = "http://127.0.0.1:9/files/gamma-2.0.0-py3-none-any.whl", upload-time = 2024-01-01T00:00:00Z, size = 908, hashes = { sha256 = "c13cf7982028719754a4d45e3b88df10b91760c695af74cd7da41b52ad1229f2" } }]\n'
        '\n'
        '[[packages]]\n'
        'name = "sources"\n'
        'directory = { path = ".", editable = true }\n'
    ),
    'sources-non-editable': (
        '.\n'
        './libs/editlib\n'
        '    # via sources\n'
        './libs/dirlib\n'
        '    # via sources\n'
        'alpha==2.0.0\n'
        '    # via sources\n'
        'beta @ http://127.0.0.1:9/files/beta-1.0.0-py3-none-any.whl\n'
        '    # via\n'
        '    #   alpha\n'
        '    #   sources\n'
        'epsilon==1.0.0\n'
        '    # via editlib\n'
        'gamma==2.0.0\n'
        '    # via dirlib\n'
    ),
    'files': (
        './dist/epsilon-1.0.0.tar.gz \\\n'
        '    --hash=sha256:a773f278dedb02f54bf9c7d02a3cb0ca820ae487b036a681e9c3de10be7cf6b1\n'
        '    # via files\n'
        './dist/gamma-2.0.0-py3-none-any.whl \\\n'
        '    --hash=sha256:c13cf7982028719754a4d45e3b88df10b91760c695af74cd7da41b52ad1229f2\n'
        '    # via files\n'
    ),
    'files-pylock': (
        'lock-version = "1.0"\n'
        'created-by = "uv"\n'
        'requires-python = ">=3.12"\n'
        '\n'
        '[[packages]]\n'
        'name = "epsilon"\n'
        'version = "1.0.0"\n'
        'archive = { path = "dist/epsilon-1.0.0.tar.gz", hashes = { sha256 = "a773f278dedb02f54bf9c7d02a3cb0ca820ae487b036a681e9c3de10be7cf6b1" } }\n'
        '\n'
        '[[packages]]\n'
        'name = "gamma"\n'
        'version = "2.0.0"\n'
        'archive = { path = "dist/gamma-2.0.0-py3-none-any.whl", hashes = { sha256 = "c13cf7982028719754a4d45e3b88df10b91760c695af74cd7da41b52ad1229f2" } }\n'
    ),
    'workspace': (
        "-e ./packages/member-a ; sys_platform == 'darwin' or sys_platform == 'linux'\n"
        '    # via root-app\n'
        "alpha==1.0.0 ; sys_platform == 'darwin' or sys_platform == 'linux'\n"
        '    # via root-app\n'
        "beta==1.0.0 ; sys_platform == 'darwin' or sys_platform == 'linux'\n"
        '    # via member-a\n'
        "epsilon==1.0.0 ; sys_platform == 'darwin' or sys_platform == 'linux'\n"
        '    # via member-a\n'
        "gamma==2.0.0 ; sys_platform == 'darwin' or sys_platform == 'linux'\n"
        '    # via epsilon\n'
    ),
    'workspace-all': (
        '-e ./packages/member-a\n'
        '    # via root-app\n'
        "alpha==1.0.0 ; sys_platform == 'darwin' or sys_platform == 'linux'\n"
        '    # via root-app\n'
        "beta==1.0.0 ; sys_platform == 'darwin' or sys_platform == 'linux'\n"
        '    # via\n'
        '    #   delta\n'
        '    #   member-a\n'
        "delta==1.0.0 ; sys_platform == 'darwin' or sys_platform == 'linux'\n"
        '    # via member-b\n'
        "epsilon==1.0.0 ; sys_platform == 'darwin' or sys_platform == 'linux'\n"
        '    # via member-a\n'
        "gamma==2.0.0 ; sys_platform == 'darwin' or sys_platform == 'linux'\n"
        '    # via epsilon\n'
    ),
    'workspace-pylock': (
        'lock-version = "1.0"\n'
        'created-by = "uv"\n'
        'environments = ["sys_platform == \'linux\'", "sys_platform == \'darwin\'"]\n'
        'requires-python = ">=3.12"\n'
        '\n'
        '[[packages]]\n'
        'name = "alpha"\n'
        'version = "1.0.0"\n'
        'marker = "sys_platform == \'darwin\' or sys_platform == \'linux\'"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'sdist = { url = "http://127.0.0.1:9/files/alpha-1.0.0.tar.gz", upload-time = 2024-03-10T09:39:28Z, size = 4540, hashes = { sha256 = "60931d1246b9bae5992ef29057da71321a7eea64d2547b897c1c749ae9c720dc" } }\n'
        'wheels = [{ url = "http://127.0.0.1:9/files/alpha-1.0.0-py3-none-any.whl", upload-time = 2024-03-10T09:39:28Z, size = 888, hashes = { sha256 = "fed1058e81a3a6115829ed06eb556346d7b8cfbfdda2ef8fd352c73635ed5f6b" } }]\n'
        '\n'
        '[[packages]]\n'
        'name = "beta"\n'
        'version = "1.0.0"\n'
        'marker = "sys_platform == \'darwin\' or sys_platform == \'linux\'"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'wheels = [\n'
        '    { url = "http://127.0.0.1:9/files/beta-1.0.0-cp312-cp312-manylinux_2_17_x86_64.whl", upload-time = 2024-01-01T00:00:00Z, size = 895, hashes = { sha256 = "388096d5a602591faaeda67f496078e60d43980facdbdf908a1208cce12d1b43" } },\n'
        '    { url = "http://127.0.0.1:9/files/beta-1.0.0-py3-none-any.whl", upload-time = 2024-01-01T00:00:00Z, size = 876, hashes = { sha256 = "61e701a0b1ad1fdeaa4216f06be79c261a2ea58112e33d35a0d191dc75f7cd7b" } },\n'
        ']\n'
        '\n'
        '[[packages]]\n'
        'name = "epsilon"\n'
        'version = "1.0.0"\n'
        'marker = "sys_platform == \'darwin\' or sys_platform == \'linux\'"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'sdist = { url = "http://127.0.0.1:9/files/epsilon-1.0.0.tar.gz", upload-time = 2024-01-01T00:00:00Z, size = 4543, hashes = { sha256 = "a773f278dedb02f54bf9c7d02a3cb0ca820ae487b036a681e9c3de10be7cf6b1" } }\n'
        '\n'
        '[[packages]]\n'
        'name = "gamma"\n'
        'version = "2.0.0"\n'
        'marker = "sys_platform == \'darwin\' or sys_platform == \'linux\'"\n'
        'index = "http://127.0.0.1:9/simple/"\n'
        'wheels = [{ url = "http://127.0.0.1:9/files/gamma-2.0.0-py3-none-any.whl", upload-time = 2024-01-01T00:00:00Z, size = 908, hashes = { sha256 = "c13cf7982028719754a4d45e3b88df10b91760c695af74cd7da41b52ad1229f2" } }]\n'
        '\n'
        '[[packages]]\n'
        'name = "member-a"\n'
        'marker = "sys_platform == \'darwin\' or sys_platform == \'linux\'"\n'
        'directory = { path = "packages/member-a", editable = true }\n'
    ),
    'nonproject': (
        'alpha==1.0.0\n'
        '    # via app\n'
        'epsilon==1.0.0\n'
        'winonly==1.0.0\n'
    ),
    'conflicts-new': (
        '-e .\n'
        'alpha==2.0.0\n'
        '    # via p3\n'
        'beta==1.0.0\n'
        '    # via alpha\n'
        'delta==1.0.0\n'
        '    # via p3\n'
    ),
    'conflicts-old-g2': (
        '-e .\n'
        'alpha==1.0.0\n'
        '    # via p3\n'
        'beta==1.0.0\n'
        'delta==1.0.0\n'
        '    # via p3\n'
    ),
    'conflicts-g1': (
        'beta==1.1.0rc1\n'
    ),
    'indexes-gpu': (
        'alpha==2.0.0\n'
        '    # via indexes\n'
        'beta==1.0.0\n'
        '    # via alpha\n'
        'gamma==2.0.0\n'
        '    # via indexes\n'
    ),
    'git': (
        'gitlib @ git+file:///tmp/puv-lock-fixture/origin@b8346730e25e30fcc01525632644a6a092ef4665#subdirectory=pkg\n'
        '    # via git\n'
        'gitlib2 @ git+file:///tmp/puv-lock-fixture/origin@b8346730e25e30fcc01525632644a6a092ef4665#subdirectory=pkg2\n'
        '    # via git\n'
    ),
    'git-pylock': (
        'lock-version = "1.0"\n'
        'created-by = "uv"\n'
        'requires-python = ">=3.12"\n'
        '\n'
        '[[packages]]\n'
        'name = "gitlib"\n'
        'version = "0.3.0"\n'
        'vcs = { type = "git", url = "file:///tmp/puv-lock-fixture/origin", requested-revision = "v1", commit-id = "b8346730e25e30fcc01525632644a6a092ef4665", subdirectory = "pkg" }\n'
        '\n'
        '[[packages]]\n'
        'name = "gitlib2"\n'
        'version = "0.3.0"\n'
        'vcs = { type = "git", url = "file:///tmp/puv-lock-fixture/origin", requested-revision = "v1", commit-id = "b8346730e25e30fcc01525632644a6a092ef4665", subdirectory = "pkg2" }\n'
    ),
    'sources-non-editable-pylock': (
        'lock-version = "1.0"\n'
        'created-by = "uv"\n'
        'requires-python = ">=3.12"\n'
        '\n'
        '[[packages]]\n'
        'name = "beta"\n'
        'version = "1.0.0"\n'
        'archive = { url = "http://127.0.0.1:9/files/beta-1.0.0-py3-none-any.whl", hashes = { sha256 = "61e701a0b1ad1fdeaa4216f06be79c261a2ea58112e33d35a0d191dc75f7cd7b" } }\n'
        '\n'
        '[[packages]]\n'
        'name = "dirlib"\n'
        'directory = { path = "libs/dirlib" }\n'
        '\n'
        '[[packages]]\n'
        'name = "editlib"\n'
        'directory = { path = "libs/editlib" }\n'
        '\n'
        '[[packages]]\n'
        'name = "sources"\n'
        'directory = { path = "." }\n'
    ),
    'combo-everything': (
        "alpha==2.0.0 ; sys_platform == 'darwin'\n"
        '    # via combo\n'
        "beta==1.0.0 ; (python_full_version >= '3.10' and sys_platform == 'linux') or sys_platform == 'darwin'\n"
        '    # via\n'
        '    #   alpha\n'
        '    #   delta\n'
        "delta==1.0.0 ; (python_full_version >= '3.10' and sys_platform == 'darwin') or (python_full_version >= '3.10' and sys_platform == 'linux')\n"
        '    # via combo\n'
        "epsilon==1.0.0 ; (python_full_version < '3.12' and sys_platform == 'darwin') or (python_full_version < '3.12' and sys_platform == 'linux')\n"
        "gamma==1.0.0 ; (python_full_version < '3.11' and sys_platform == 'darwin') or (python_full_version < '3.11' and sys_platform == 'linux')\n"
        '    # via combo\n'
        "gamma==2.0.0 ; (python_full_version >= '3.11' and sys_platform == 'darwin') or (python_full_version >= '3.11' and sys_platform == 'linux')\n"
        '    # via combo\n'
        "winonly==1.0.0 ; (platform_machine == 'x86_64' and sys_platform == 'darwin') or (platform_machine == 'x86_64' and sys_platform == 'linux')\n"
        '    # via combo\n'
    ),
    'combo': (
        "alpha==2.0.0 ; sys_platform == 'darwin'\n"
        '    # via combo\n'
        "beta==1.0.0 ; (python_full_version >= '3.10' and sys_platform == 'linux') or sys_platform == 'darwin'\n"
        '    # via\n'
        '    #   alpha\n'
        '    #   delta\n'
        "delta==1.0.0 ; (python_full_version >= '3.10' and sys_platform == 'darwin') or (python_full_version >= '3.10' and sys_platform == 'linux')\n"
        '    # via combo\n'
        "epsilon==1.0.0 ; (python_full_version < '3.12' and sys_platform == 'darwin') or (python_full_version < '3.12' and sys_platform == 'linux')\n"
        "gamma==1.0.0 ; (python_full_version < '3.11' and sys_platform == 'darwin') or (python_full_version < '3.11' and sys_platform == 'linux')\n"
        '    # via combo\n'
        "gamma==2.0.0 ; (python_full_version >= '3.11' and sys_platform == 'darwin') or (python_full_version >= '3.11' and sys_platform == 'linux')\n"
        '    # via combo\n'
    ),
}


COMBO_LOCK = (
    'version = 1\n'
    'revision = 5\n'
    'requires-python = ">=3.9"\n'
    'resolution-markers = [\n'
    '    "python_full_version >= \'3.11\' and sys_platform == \'linux\'",\n'
    '    "python_full_version == \'3.10.*\' and sys_platform == \'linux\'",\n'
    '    "python_full_version < \'3.10\' and sys_platform == \'linux\'",\n'
    '    "python_full_version >= \'3.11\' and sys_platform == \'darwin\'",\n'
    '    "python_full_version == \'3.10.*\' and sys_platform == \'darwin\'",\n'
    '    "python_full_version < \'3.10\' and sys_platform == \'darwin\'",\n'
    ']\n'
    'supported-markers = [\n'
    '    "sys_platform == \'linux\'",\n'
    '    "sys_platform == \'darwin\'",\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "alpha"\n'
    'version = "2.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    'dependencies = [\n'
    '    { name = "beta" },\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "beta"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    '\n'
    '[[package]]\n'
    'name = "combo"\n'
    'version = "0.1.0"\n'
    'source = { virtual = "." }\n'
    'dependencies = [\n'
    '    { name = "alpha", marker = "sys_platform != \'linux\'" },\n'
    '    { name = "delta", extra = ["y"], marker = "python_full_version >= \'3.10\'" },\n'
    '    { name = "gamma", version = "1.0.0", source = { registry = "http://127.0.0.1:9/simple/" }, marker = "python_full_version < \'3.11\'" },\n'
    '    { name = "gamma", version = "2.0.0", source = { registry = "http://127.0.0.1:9/simple/" }, marker = "python_full_version >= \'3.11\'" },\n'
    ']\n'
    '\n'
    '[package.optional-dependencies]\n'
    'win = [\n'
    '    { name = "winonly", marker = "platform_machine == \'x86_64\'" },\n'
    ']\n'
    '\n'
    '[package.dev-dependencies]\n'
    'dev = [\n'
    '    { name = "epsilon", marker = "python_full_version < \'3.12\'" },\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "delta"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    '\n'
    '[package.optional-dependencies]\n'
    'y = [\n'
    '    { name = "beta", marker = "sys_platform == \'linux\'" },\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "epsilon"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    '\n'
    '[[package]]\n'
    'name = "gamma"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    'resolution-markers = [\n'
    '    "python_full_version == \'3.10.*\' and sys_platform == \'linux\'",\n'
    '    "python_full_version < \'3.10\' and sys_platform == \'linux\'",\n'
    '    "python_full_version == \'3.10.*\' and sys_platform == \'darwin\'",\n'
    '    "python_full_version < \'3.10\' and sys_platform == \'darwin\'",\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "gamma"\n'
    'version = "2.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    'resolution-markers = [\n'
    '    "python_full_version >= \'3.11\' and sys_platform == \'linux\'",\n'
    '    "python_full_version >= \'3.11\' and sys_platform == \'darwin\'",\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "winonly"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
)
