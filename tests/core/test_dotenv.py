"""`.env` parsing as uv 0.13.8 (dotenvy) does it: every expectation below was observed by
running `uv run --env-file` on the same text."""

from __future__ import annotations

import pytest

from puv.core.dotenv import apply_env_files, parse_dotenv

ENV = {"HOME": "/root", "XX": "env"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# comment\nA=1\n", [("A", "1")]),
        ('export B="two words"\n', [("B", "two words")]),
        ("  export   M=5\n", [("M", "5")]),
        ("C='single $A'\n", [("C", "single $A")]),
        ('A=1\nD="x $A y"\n', [("A", "1"), ("D", "x 1 y")]),
        ("A=1\nD=x${A}y\nE=x$A\n", [("A", "1"), ("D", "x1y"), ("E", "x1")]),
        ("E=plain#x\n", [("E", "plain#x")]),
        ("E=a # c\nF=2\n", [("E", "a"), ("F", "2")]),
        ('E="a" # c\n', [("E", "a")]),
        ("E=a\t#x\nF=1", [("E", "a"), ("F", "1")]),
        ('F="multi\nline"\n', [("F", "multi\nline")]),
        ("G=\nH=1\n", [("G", ""), ("H", "1")]),
        ("H = spaced\n", [("H", "spaced")]),
        ('I="esc \\"q\\" \\n nl"\n', [("I", 'esc "q" \n nl')]),
        ("J=${UNDEFINED_X}z\n", [("J", "z")]),
        ("K=${HOME}\n", [("K", "/root")]),
        ("XX=file\nY=$XX\n", [("XX", "file"), ("Y", "env")]),
        ("A=1\nL=$A\nA=2\nM=$A\n", [("A", "1"), ("L", "1"), ("A", "2"), ("M", "2")]),
        ("E=$MY_VAR\n", [("E", "_VAR")]),  # `_` ends a `$NAME`
        ('N="a"b\n', [("N", "ab")]),
        ("O=a\\ b\n", [("O", "a b")]),
        ("E=a\r\nF=b\r\n", [("E", "a"), ("F", "b")]),
        ('# c "\nF=b\n', [("F", "b")]),
        ("E=a  ", [("E", "a")]),
        ("A.b=1\n", [("A.b", "1")]),
        ("export=3\n", [("export", "3")]),
        ("\n   \n E=1\n", [("E", "1")]),
    ],
)
def test_values_read_as_uv_reads_them(text: str, expected: list[tuple[str, str]]) -> None:
    assert parse_dotenv(text, ENV) == (expected, None)


@pytest.mark.parametrize(
    ("text", "kept", "content", "position"),
    [
        ('A=1\nD="double ${A} and $A"\n', [("A", "1")], '"double ${A} and $A"', 19),
        ('D="x $A"\n', [], '"x $A"', 5),  # dotenvy swallows the closing quote
        ('P="$"\n', [], '"$"', 2),
        ("D=x $A\n", [], "x $A", 2),
        ("E=plain x # trailing comment\n", [], "plain x ", 6),
        ("1A=1\n", [], "1A=1", 0),
        ("A=1\nexport\n", [("A", "1")], "export", 6),
        ("A=1 \\\n  B=2\n", [], "1 \\", 2),
        ('A="unterminated\nB=2\n', [], 'A="unterminated\nB=2\n', 20),
        ("A=${B\n", [], "${B", 2),
        ("A=\\x\n", [], "\\x", 1),
        ("A='x\\'y'\n", [], "'x\\'y'", 5),
    ],
)
def test_syntax_errors_keep_what_came_before(text: str, kept: list[tuple[str, str]],
                                             content: str, position: int) -> None:
    entries, error = parse_dotenv(text, ENV)
    assert entries == kept
    assert error is not None
    assert (error.content, error.position) == (content, position)
    assert error.describe() == f"at position {position}: {content}"


def test_apply_never_replaces_set_variables_and_later_files_win() -> None:
    environ = {"XX": "env"}
    errors = apply_env_files([("one.env", "A=1\nXX=one\n"), ("two.env", "A=2\nB=2\nB=3\n")],
                             environ)
    assert errors == []
    assert environ == {"XX": "env", "A": "2", "B": "2"}


def test_apply_reports_each_files_error_and_keeps_earlier_lines() -> None:
    environ: dict[str, str] = {}
    errors = apply_env_files([("bad.env", "A=1\nB=x y\nC=3\n")], environ)
    assert environ == {"A": "1"}
    assert [(name, error.describe()) for name, error in errors] == [
        ("bad.env", "at position 2: x y")]
