"""Core metadata parsing."""

from __future__ import annotations

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from puv.core.metadata import parse_metadata
from puv.errors import MetadataError

METADATA = b"""\
Metadata-Version: 2.3
Name: Foo_Bar
Version: 1.0.post1
Requires-Dist: b>=1
Requires-Dist: c; extra == "x"
Requires-Python: >=3.8
Provides-Extra: X_Y
Dynamic: Requires-Dist

A long description that is ignored.
"""


def test_fields_a_resolver_reads():
    metadata = parse_metadata(METADATA, source="foo_bar-1.0.post1-py3-none-any.whl")
    assert metadata.name == "foo-bar"
    assert metadata.version == Version("1.0.post1")
    assert [str(r) for r in metadata.requires_dist] == ["b>=1", 'c; extra == "x"']
    assert metadata.requires_dist[1] == Requirement('c; extra == "x"')
    assert metadata.requires_python == SpecifierSet(">=3.8")
    assert metadata.provides_extra == ("x-y",)
    assert metadata.dynamic == ("requires-dist",)
    assert metadata.metadata_version == "2.3"


def test_minimal_metadata_has_no_requirements():
    metadata = parse_metadata(b"Name: a\nVersion: 1\n", source="a.whl")
    assert metadata.requires_dist == ()
    assert metadata.requires_python is None
    assert metadata.metadata_version == "1.0"


def test_invalid_requirement_names_the_source_and_the_requirement():
    data = b"Metadata-Version: 2.1\nName: a\nVersion: 1\nRequires-Dist: b>=>1\n"
    with pytest.raises(MetadataError) as caught:
        parse_metadata(data, source="a-1-py3-none-any.whl")
    assert str(caught.value).startswith(
        "The metadata of `a-1-py3-none-any.whl` has an invalid requirement `b>=>1`: ")


@pytest.mark.parametrize(("data", "message"), [
    (b"Version: 1\n", "The metadata of `x.whl` has no `Name` field"),
    (b"Name: a\n", "The metadata of `x.whl` has no `Version` field"),
    (b"Name: a\nVersion: nope\n", "The metadata of `x.whl` has an invalid version `nope`"),
    (b"Name: a\nVersion: 1\nRequires-Python: >=>3\n",
     "The metadata of `x.whl` has an invalid `Requires-Python`: `>=>3`"),
])
def test_unusable_metadata_errors(data, message):
    with pytest.raises(MetadataError) as caught:
        parse_metadata(data, source="x.whl")
    assert str(caught.value) == message


def test_name_or_version_mismatch_names_both():
    metadata = parse_metadata(b"Name: other\nVersion: 2.0\n", source="a-1.0.tar.gz")
    metadata.check_matches("Other", Version("2.0"), source="other-2.0.tar.gz")  # same: fine
    with pytest.raises(MetadataError) as caught:
        metadata.check_matches("a", Version("1.0"), source="a-1.0.tar.gz")
    assert str(caught.value) == ("The metadata of `a-1.0.tar.gz` describes `other==2.0`, but "
                                 "its file name says `a==1.0`")
    with pytest.raises(MetadataError, match=r"describes `other==2\.0`.*says `other==1\.0`"):
        metadata.check_matches("other", Version("1.0"), source="other-1.0.tar.gz")


def test_body_after_the_first_blank_line_is_not_read():
    data = b"Name: a\nVersion: 1\nRequires-Dist: b\n\nRequires-Dist: from-the-readme\n"
    assert [str(r) for r in parse_metadata(data, source="a.whl").requires_dist] == ["b"]


@pytest.mark.parametrize("newline", [b"\r\n", b"\r", b"\n"])
def test_any_line_ending(newline):
    data = newline.join([b"Name: a", b"Version: 1", b"Requires-Dist: b", b"", b"body"])
    metadata = parse_metadata(data, source="a.whl")
    assert (metadata.name, [str(r) for r in metadata.requires_dist]) == ("a", ["b"])


def test_form_feed_or_line_separator_in_a_header_description_does_not_end_the_headers():
    data = ("Metadata-Version: 2.1\nName: a\nVersion: 1.0\nDescription: intro\x0c\n"
            "        |page two\u2028Requires-Dist: injected\n        |end\n"
            "Requires-Dist: b>=1\nRequires-Python: >=3.8\n\nbody\n").encode()
    metadata = parse_metadata(data, source="a.whl")
    assert [str(r) for r in metadata.requires_dist] == ["b>=1"]
    assert metadata.requires_python == SpecifierSet(">=3.8")


def test_folded_header_and_byte_order_mark():
    data = b"\xef\xbb\xbfName: a\nVersion: 1\nRequires-Dist: b;\n  python_version < '3.11'\n"
    metadata = parse_metadata(data, source="a.whl")
    assert metadata.name == "a"
    assert [str(r) for r in metadata.requires_dist] == ['b; python_version < "3.11"']


def test_a_line_of_spaces_continues_a_field_and_does_not_end_the_headers() -> None:
    # hatchling writes blank paragraphs of a multi-line `License` as lines of spaces
    data = (b"Metadata-Version: 2.1\nName: a\nVersion: 1.0\nLicense: MIT\n        \n"
            b"        more text\nRequires-Dist: b>=1\n\nbody\nRequires-Dist: c\n")
    metadata = parse_metadata(data, source="a")
    assert [str(r) for r in metadata.requires_dist] == ["b>=1"]
