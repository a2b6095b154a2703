"""The edit model: every expected text below is what `uv add/remove --frozen --no-sync`
(uv 0.13.8) wrote for the same edits on the same file."""

from __future__ import annotations

from pathlib import Path

import pytest

from puv.errors import SettingsError
from puv.workspace._array import DependencyArray
from puv.workspace.edit import (
    DEV,
    PROJECT,
    PyProjectEditor,
    bound_specifiers,
    format_requirement,
    group,
    optional,
)

BARE = """\
[project]
name = "ed"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []
"""

HEAD = '[project]\nname = "ed"\nversion = "0.1.0"\n'


def test_add_to_empty_dependencies_goes_multiline() -> None:
    editor = PyProjectEditor.parse(BARE)
    edit = editor.add_requirement("requests")
    assert (edit.kind, edit.index, edit.requirement) == ("added", 0, "requests")
    assert editor.text() == BARE.replace("dependencies = []",
                                         'dependencies = [\n    "requests",\n]')


def test_add_keeps_a_sorted_list_sorted_and_update_replaces_in_place() -> None:
    editor = PyProjectEditor.parse(BARE)
    editor.add_requirement("requests")
    editor.add_requirement("numpy>=1.21.0")
    editor.add_requirement('Flask[async]>=2; sys_platform == "linux"')
    edit = editor.add_requirement("requests>=2.30")
    assert (edit.kind, edit.index) == ("updated", 2)
    assert editor.text() == BARE.replace("dependencies = []", """dependencies = [
    "flask[async]>=2 ; sys_platform == 'linux'",
    "numpy>=1.21.0",
    "requests>=2.30",
]""")


def test_remove_down_to_one_and_to_none() -> None:
    editor = PyProjectEditor.parse(BARE)
    for requirement in ("requests", "numpy>=1.21.0", "flask"):
        editor.add_requirement(requirement)
    assert editor.remove_requirement("requests") == ["requests"]
    assert editor.remove_requirement("NumPy") == ["numpy>=1.21.0"]
    assert editor.text() == BARE.replace("dependencies = []",
                                         'dependencies = [\n    "flask",\n]')
    editor.remove_requirement("flask")
    assert editor.text() == BARE
    assert editor.remove_requirement("absent") == []


def test_unsorted_list_appends_at_the_end() -> None:
    editor = PyProjectEditor.parse(HEAD + 'dependencies = ["zlib-ng", "anyio"]\n')
    editor.add_requirement("idna")
    assert editor.text() == HEAD + 'dependencies = [\n    "zlib-ng",\n    "anyio",\n' \
        '    "idna",\n]\n'


def test_sorted_check_is_by_bytes() -> None:
    editor = PyProjectEditor.parse(HEAD + 'dependencies = ["Django", "anyio"]\n')
    editor.add_requirement("flask")
    assert editor.text() == HEAD + 'dependencies = [\n    "Django",\n    "anyio",\n' \
        '    "flask",\n]\n'


def test_comments_and_indentation_survive() -> None:
    text = HEAD + ('dependencies = [\n  # web\n  "anyio",  # async\n  "zlib-ng",\n]'
                   " # trailing\n")
    editor = PyProjectEditor.parse(text)
    editor.add_requirement("idna")
    assert editor.text() == HEAD + ('dependencies = [\n  # web\n  "anyio",  # async\n'
                                    '  "idna",\n  "zlib-ng",\n] # trailing\n')
    editor.remove_requirement("anyio")
    assert editor.text() == HEAD + ('dependencies = [\n  # web\n  # async\n  "idna",\n'
                                    '  "zlib-ng",\n] # trailing\n')


def test_other_tables_and_top_comment_survive() -> None:
    text = '# top comment\n' + HEAD + 'dependencies = ["anyio"]\n\n[tool.other]\nx = 1\n'
    editor = PyProjectEditor.parse(text)
    editor.add_requirement("idna")
    assert editor.text() == '# top comment\n' + HEAD + (
        'dependencies = [\n    "anyio",\n    "idna",\n]\n\n[tool.other]\nx = 1\n')
    editor.remove_requirement("anyio")
    editor.remove_requirement("idna")
    assert editor.text() == '# top comment\n' + HEAD + (
        'dependencies = []\n\n[tool.other]\nx = 1\n')


def test_missing_dependencies_key_is_created() -> None:
    editor = PyProjectEditor.parse(HEAD)
    editor.add_requirement("idna")
    assert editor.text() == HEAD + 'dependencies = [\n    "idna",\n]\n'


def test_closing_comments_stay_above_an_appended_entry() -> None:
    editor = PyProjectEditor.parse(HEAD + 'dependencies = [\n    "a",\n    # end comment\n]\n')
    editor.add_requirement("b")
    assert editor.text() == HEAD + ('dependencies = [\n    "a",\n    # end comment\n'
                                    '    "b",\n]\n')
    editor.remove_requirement("a")
    editor.remove_requirement("b")
    assert editor.text() == HEAD + 'dependencies = [\n    # end comment\n]\n'


def test_optional_dependencies_and_groups() -> None:
    editor = PyProjectEditor.parse(BARE)
    editor.add_requirement("pytest", group("dev"))
    editor.add_requirement("torch", optional("cpu"))
    editor.add_requirement("torchvision", optional("cpu"))
    editor.add_requirement("ruff", group("lint"))
    assert editor.text() == BARE + """
[project.optional-dependencies]
cpu = [
    "torch",
    "torchvision",
]

[dependency-groups]
dev = [
    "pytest",
]
lint = [
    "ruff",
]
"""
    assert editor.find_requirement("torch") == [optional("cpu")]
    assert editor.requirements(group("dev")) == ["pytest"]
    assert editor.remove_requirement("ruff", group("lint")) == ["ruff"]
    assert 'lint = []' in editor.text()


def test_dev_dependencies_are_read() -> None:
    editor = PyProjectEditor.parse(BARE + '\n[tool.uv]\ndev-dependencies = ["pytest>=8"]\n')
    assert editor.dev_dependencies() == ["pytest>=8"]
    assert editor.find_requirement("pytest") == [DEV]


SOURCES_ONE = BARE.replace("dependencies = []", 'dependencies = [\n    "torch",\n]') + """
[tool.uv.sources]
torch = { index = "pytorch" }

[[tool.uv.index]]
name = "pytorch"
url = "https://download.pytorch.org/whl/cpu"
"""

INDEX_ONLY = BARE + """
[[tool.uv.index]]
name = "pytorch"
url = "https://download.pytorch.org/whl/cpu"
"""


def test_sources_and_index_added_and_removed_as_uv_does() -> None:
    editor = PyProjectEditor.parse(BARE)
    editor.add_requirement("torch")
    editor.add_source("torch", {"index": "pytorch"})
    editor.add_index("pytorch", "https://download.pytorch.org/whl/cpu")
    assert editor.text() == SOURCES_ONE
    editor.add_requirement("torchvision")
    editor.add_source("torchvision", {"index": "pytorch"})
    assert 'torch = { index = "pytorch" }\ntorchvision = { index = "pytorch" }\n' \
        in editor.text()
    editor.remove_requirement("torch")
    assert "torch =" not in editor.text()
    editor.remove_requirement("torchvision")
    assert editor.text() == INDEX_ONLY
    assert editor.indexes() == [{"name": "pytorch",
                                 "url": "https://download.pytorch.org/whl/cpu"}]
    assert editor.remove_index("pytorch")
    assert editor.text() == BARE


def test_index_with_the_same_name_is_updated_and_moved_first() -> None:
    text = BARE + """
[[tool.uv.index]]
name = "old"
url = "https://old.example/simple"

[[tool.uv.index]]
name = "pytorch"
url = "https://download.pytorch.org/whl/cpu"
explicit = true
"""
    editor = PyProjectEditor.parse(text)
    editor.add_index("pytorch", "https://download.pytorch.org/whl/cu128")
    assert editor.text() == BARE + """
[[tool.uv.index]]
name = "pytorch"
url = "https://download.pytorch.org/whl/cu128"
explicit = true

[[tool.uv.index]]
name = "old"
url = "https://old.example/simple"
"""


def test_format_requirement() -> None:
    assert format_requirement("Foo_Bar[B, a] >= 1.0 , < 2") == "foo-bar[a,b]>=1.0,<2"
    assert format_requirement("y (>=1,<2)") == "y>=1,<2"
    assert format_requirement('x @ https://e.com/x.whl ; os_name == "nt"') == \
        "x @ https://e.com/x.whl ; os_name == 'nt'"


def test_broken_toml_names_the_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = \n')
    with pytest.raises(SettingsError) as info:
        PyProjectEditor.load(path)
    message = info.value.message
    assert message.startswith(f"Failed to parse `{path}`: TOML parse error at line 2, "
                              "column 8")
    assert "\n  2 | name = \n" in message


def test_malformed_dependencies_is_an_error() -> None:
    editor = PyProjectEditor.parse(HEAD + 'dependencies = "requests"\n')
    with pytest.raises(SettingsError, match=r"project\.dependencies"):
        editor.add_requirement("idna")


def test_write_is_atomic_and_in_place(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(BARE)
    editor = PyProjectEditor.load(path)
    editor.add_requirement("requests", PROJECT)
    editor.write()
    assert path.read_text() == BARE.replace("dependencies = []",
                                            'dependencies = [\n    "requests",\n]')
    assert [p.name for p in tmp_path.iterdir()] == ["pyproject.toml"]


def test_array_scanner_keeps_inline_tables_and_odd_strings() -> None:
    array = DependencyArray.parse('[ "a, b", {include-group = "x"}, \'c#d\' ] ')
    assert array.values() == ['"a, b"', '{include-group = "x"}', "'c#d'"]
    assert array.render() == '[ "a, b", {include-group = "x"}, \'c#d\' ]'


@pytest.mark.parametrize(("version", "kind", "expected"), [
    ("1.2.3", "lower", ">=1.2.3"),
    ("1.2.3+local", "lower", ">=1.2.3"),
    ("1.2.3", "exact", "==1.2.3"),
    ("1.2.3", "major", ">=1.2.3,<2.0.0"),
    ("1.2", "major", ">=1.2,<2.0"),
    ("1", "major", ">=1,<2"),
    ("0.1.2", "major", ">=0.1.2,<0.2.0"),
    ("0.0.1", "major", ">=0.0.1,<0.0.2"),
    ("0", "major", ">=0,<0.1"),
    ("1.2.3", "minor", ">=1.2.3,<1.3.0"),
    ("1.2", "minor", ">=1.2,<1.3"),
    ("1", "minor", ">=1,<1.1"),
    ("0.1.2", "minor", ">=0.1.2,<0.1.3"),
    ("0.0.1", "minor", ">=0.0.1,<0.0.2"),
    ("0.0.0", "minor", ">=0.0.0,<0.0.1"),
    ("2.0.0rc1", "major", ">=2.0.0rc1,<3.0.0"),
])
def test_bounds_are_uvs(version: str, kind: str, expected: str) -> None:
    assert bound_specifiers(version, kind) == expected


def test_document_prints_unchanged_text_back() -> None:
    text = ('# head\n[tool.b]\nx = 1 # one\n\n[project]  # p\nname = "a"\n'
            'dependencies = [\n  "a", # c\n]\n[[tool.uv.index]]\nurl = "u"\n\n# end')
    assert PyProjectEditor.parse(text).text() == text


def test_new_tables_land_where_toml_edit_puts_them() -> None:
    text = '[project]\nname = "a"\n\n[project.scripts]\na = "a:main"\n\n[build-system]\nx = 1\n'
    editor = PyProjectEditor.parse(text)
    editor.add_requirement("b", optional("cli"))
    editor.add_source("b", {"path": "../b"})
    assert editor.text() == (
        '[project]\nname = "a"\n\n[project.scripts]\na = "a:main"\n\n'
        '[project.optional-dependencies]\ncli = [\n    "b",\n]\n\n[build-system]\nx = 1\n\n'
        '[tool.uv.sources]\nb = { path = "../b" }\n')
