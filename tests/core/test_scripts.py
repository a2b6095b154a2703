"""PEP 723 blocks: finding them as the PEP's regular expression does, and errors that name the
script and the line."""

from __future__ import annotations

import pytest

from puv.core.scripts import ScriptError, find_script_block, read_script_metadata

SCRIPT = """\
#!/usr/bin/env python
x = 1
# /// script
# requires-python = ">=3.11"
# dependencies = [
#   "idna",
#   "anyio>1",
# ]
#
# [tool.uv]
# exclude-newer = "2024-01-01T00:00:00Z"
# ///
print(x)
"""


def test_block_after_code_is_read() -> None:
    metadata = read_script_metadata(SCRIPT, "s.py")
    assert metadata is not None
    assert metadata.requires_python == ">=3.11"
    assert metadata.requirements == ("idna", "anyio>1")
    assert metadata.tool_uv == {"exclude-newer": "2024-01-01T00:00:00Z"}
    assert metadata.block.start == 3


def test_no_block_is_none() -> None:
    assert read_script_metadata("print(1)\n# /// other\n# x\n# ///\n", "s.py") is None
    assert find_script_block("import sys\n", "s.py") is None


def test_crlf_script_is_read() -> None:
    metadata = read_script_metadata(SCRIPT.replace("\n", "\r\n"), "s.py")
    assert metadata is not None and metadata.requirements == ("idna", "anyio>1")


def test_empty_dependencies_default() -> None:
    metadata = read_script_metadata('# /// script\n# requires-python = ">=3"\n# ///\n', "s.py")
    assert metadata is not None
    assert metadata.requirements == () and metadata.tool == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('# /// script\n# dependencies = ["idna"]\nprint(1)\n',
         "Failed to read the inline script metadata of `bad.py`: an opening tag (`# /// "
         "script`) was found at line 1 without a closing tag (`# ///`). Ensure that every line "
         "between the opening and closing tags (including empty lines) starts with a leading "
         "`#`."),
        ("print(1)\n# /// script\n#dependencies = []\n# ///\n",
         "Failed to read the inline script metadata of `bad.py`: an opening tag (`# /// "
         "script`) was found at line 2 without a closing tag"),
        ('# /// script\n# dependencies = ["idna"\n# ///\n',
         "Failed to parse the inline script metadata of `bad.py` at line 3: Unclosed array at "
         "the end of the block"),
        ("# /// script\n# x = = 1\n# ///\n",
         "Failed to parse the inline script metadata of `bad.py` at line 2: Invalid value "
         "(column 7)"),
        ('# /// script\n# dependencies = ["idna==="]\n# ///\n',
         "Failed to parse the inline script metadata of `bad.py` at line 2: invalid "
         "requirement `idna===` in `dependencies`"),
        ('# /// script\n# dependencies = [\n#  "a",\n#  "b c",\n# ]\n# ///\n',
         "Failed to parse the inline script metadata of `bad.py` at line 4: invalid "
         "requirement `b c`"),
        ('# /// script\n# dependencies = "idna"\n# ///\n',
         "Failed to parse the inline script metadata of `bad.py` at line 2: `dependencies` "
         "must be an array of strings, found a string"),
        ('# /// script\n# requires-python = "garbage"\n# ///\n',
         "Failed to parse the inline script metadata of `bad.py` at line 2: invalid "
         "`requires-python` `garbage`"),
        ("# /// script\n# dependencies = []\n# ///\nx = 1\n# /// script\n# dependencies = []\n"
         "# ///\n",
         "`bad.py` has more than one `# /// script` block (lines 1 and 5); PEP 723 allows one "
         "per script"),
    ],
)
def test_invalid_blocks_name_script_and_line(text: str, message: str) -> None:
    with pytest.raises(ScriptError) as info:
        read_script_metadata(text, "bad.py")
    assert str(info.value).startswith(message)


def test_blocks_separated_only_by_comments_read_as_one() -> None:
    # PEP 723's expression is greedy: the last `# ///` of the run closes the block (uv agrees,
    # and then fails on the TOML).
    text = "# /// script\n# dependencies = []\n# ///\n# /// script\n# ///\n"
    with pytest.raises(ScriptError, match="at line 3: Invalid statement"):
        read_script_metadata(text, "bad.py")
