"""Simple repository API parsers: PEP 503 HTML and PEP 691 JSON into `IndexFile`s."""

from __future__ import annotations

import json

import pytest

from puv.errors import PackageIndexError
from puv.index.simple import IndexFile, parse_html, parse_json, parse_page

PAGE_URL = "https://index.example/simple/a/"


def html_page(*anchors: str, head: str = "") -> bytes:
    body = "\n".join(anchors)
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def one(content: bytes, url: str = PAGE_URL) -> IndexFile:
    files = parse_html(content, url)
    assert len(files) == 1
    return files[0]


# HTML ------------------------------------------------------------------------------------


def test_html_relative_urls_are_made_absolute():
    files = parse_html(html_page('<a href="../../files/a-1.0.tar.gz">a</a>',
                                 '<a href="/root/a-1.1.tar.gz">a</a>',
                                 '<a href="a-1.2.tar.gz">a</a>',
                                 '<a href="https://cdn.example/a-1.3.tar.gz">a</a>'), PAGE_URL)
    assert [f.url for f in files] == [
        "https://index.example/files/a-1.0.tar.gz",
        "https://index.example/root/a-1.1.tar.gz",
        "https://index.example/simple/a/a-1.2.tar.gz",
        "https://cdn.example/a-1.3.tar.gz",
    ]
    assert [f.filename for f in files] == ["a-1.0.tar.gz", "a-1.1.tar.gz", "a-1.2.tar.gz",
                                           "a-1.3.tar.gz"]


def test_html_base_element_changes_the_base_url():
    content = html_page('<a href="a-1.0.tar.gz">a</a>',
                        head='<base href="https://files.example/pkgs/">')
    assert one(content).url == "https://files.example/pkgs/a-1.0.tar.gz"


def test_html_fragment_gives_the_hash_and_is_dropped_from_the_url():
    file = one(html_page('<a href="a-1.0.tar.gz#sha256=ABCDEF0123">a</a>'))
    assert file.url == "https://index.example/simple/a/a-1.0.tar.gz"
    assert file.hashes == (("sha256", "abcdef0123"),)
    assert one(html_page('<a href="a-1.0.tar.gz#md5=aa">a</a>')).hashes == (("md5", "aa"),)
    assert one(html_page('<a href="a-1.0.tar.gz#egg=a">a</a>')).hashes == ()


def test_html_requires_python_is_unescaped():
    file = one(html_page('<a href="a-1.0.tar.gz" data-requires-python="&gt;=3.8,&lt;4">a</a>'))
    assert file.requires_python == ">=3.8,<4"
    assert one(html_page('<a href="a-1.0.tar.gz" data-requires-python="">a</a>')
               ).requires_python is None


def test_html_unescaped_greater_than_inside_a_quoted_value_is_kept():
    files = parse_html(html_page('<a href="a-1.0.tar.gz" data-requires-python=">=3.8">a</a>',
                                 "<a data-yanked='use >= 2' href='a-1.1.tar.gz'>a</a>"), PAGE_URL)
    assert [(f.filename, f.requires_python, f.yanked) for f in files] == [
        ("a-1.0.tar.gz", ">=3.8", None), ("a-1.1.tar.gz", None, "use >= 2")]


def test_html_yanked_with_and_without_reason():
    plain = one(html_page('<a href="a-1.0.tar.gz">a</a>'))
    assert plain.yanked is None and not plain.is_yanked
    bare = one(html_page('<a href="a-1.0.tar.gz" data-yanked>a</a>'))
    assert bare.yanked == "" and bare.is_yanked
    empty = one(html_page('<a href="a-1.0.tar.gz" data-yanked="">a</a>'))
    assert empty.yanked == "" and empty.is_yanked
    reason = one(html_page('<a href="a-1.0.tar.gz" data-yanked="broken &amp; insecure">a</a>'))
    assert reason.yanked == "broken & insecure"


def test_html_core_metadata_attribute_with_and_without_hash():
    hashed = one(html_page('<a href="a-1.0-py3-none-any.whl" data-core-metadata="sha256=AB">a'
                           '</a>'))
    assert hashed.core_metadata == (("sha256", "ab"),)
    bare = one(html_page('<a href="a-1.0-py3-none-any.whl" data-core-metadata="true">a</a>'))
    assert bare.core_metadata == ()
    absent = one(html_page('<a href="a-1.0-py3-none-any.whl">a</a>'))
    assert absent.core_metadata is None


def test_html_legacy_dist_info_metadata_attribute():
    file = one(html_page('<a href="a-1.0-py3-none-any.whl" data-dist-info-metadata="sha256=cd">'
                         'a</a>'))
    assert file.core_metadata == (("sha256", "cd"),)


def test_html_core_metadata_takes_precedence_over_the_legacy_name():
    file = one(html_page('<a href="a-1.0-py3-none-any.whl" data-core-metadata="false" '
                         'data-dist-info-metadata="true">a</a>'))
    assert file.core_metadata is None


def test_html_single_quoted_and_unquoted_attributes():
    file = one(html_page("<a href='a-1.0.tar.gz#sha256=ab' data-requires-python='>=3.9' "
                         "data-yanked=old>a</a>"))
    assert file.url == "https://index.example/simple/a/a-1.0.tar.gz"
    assert file.hashes == (("sha256", "ab"),)
    assert file.requires_python == ">=3.9"
    assert file.yanked == "old"


def test_html_attributes_before_href_and_upper_case_tags():
    file = one(html_page('<A data-requires-python="&gt;=3.10" data-yanked="" '
                         'HREF="a-1.0.tar.gz#sha256=ab">a</A>'))
    assert file.filename == "a-1.0.tar.gz"
    assert file.requires_python == ">=3.10"
    assert file.yanked == ""
    assert file.hashes == (("sha256", "ab"),)


def test_html_escaped_href_and_percent_encoded_file_name():
    file = one(html_page('<a href="a%2Bb-1.0.tar.gz?x=1&amp;y=2">a</a>'))
    assert file.filename == "a+b-1.0.tar.gz"
    assert file.url == "https://index.example/simple/a/a%2Bb-1.0.tar.gz?x=1&y=2"


def test_html_anchors_without_href_are_ignored():
    assert parse_html(html_page('<a name="top">top</a>', "<a>x</a>"), PAGE_URL) == []


# JSON ------------------------------------------------------------------------------------


def json_page(*files: dict) -> bytes:
    return json.dumps({"meta": {"api-version": "1.1"}, "name": "a",
                       "files": list(files)}).encode()


def test_json_fields():
    [file] = parse_json(json_page({
        "filename": "a-1.0.tar.gz",
        "url": "../../files/a-1.0.tar.gz",
        "hashes": {"md5": "DD", "sha256": "ABC", "blake2b": "ignored"},
        "requires-python": ">=3.8",
        "yanked": False,
        "size": 1234,
        "upload-time": "2024-01-01T00:00:00.000000Z",
    }), PAGE_URL)
    assert file.url == "https://index.example/files/a-1.0.tar.gz"
    assert file.hashes == (("sha256", "abc"), ("md5", "dd"))
    assert file.requires_python == ">=3.8"
    assert file.yanked is None
    assert file.core_metadata is None
    assert file.size == 1234
    assert file.upload_time == "2024-01-01T00:00:00.000000Z"


def test_json_yanked_true_and_with_reason():
    yanked, reason = parse_json(json_page(
        {"filename": "a-1.0.tar.gz", "url": "a-1.0.tar.gz", "hashes": {}, "yanked": True},
        {"filename": "a-1.1.tar.gz", "url": "a-1.1.tar.gz", "hashes": {},
         "yanked": "security issue"},
    ), PAGE_URL)
    assert yanked.yanked == "" and yanked.is_yanked
    assert reason.yanked == "security issue"


def test_json_core_metadata_as_dict_true_false_and_legacy_key():
    files = parse_json(json_page(
        {"filename": "a-1.0-py3-none-any.whl", "url": "a", "hashes": {},
         "core-metadata": {"sha256": "EE"}},
        {"filename": "a-1.1-py3-none-any.whl", "url": "b", "hashes": {}, "core-metadata": True},
        {"filename": "a-1.2-py3-none-any.whl", "url": "c", "hashes": {},
         "core-metadata": False, "dist-info-metadata": True},
        {"filename": "a-1.3-py3-none-any.whl", "url": "d", "hashes": {},
         "dist-info-metadata": {"sha256": "ff"}},
    ), PAGE_URL)
    assert [f.core_metadata for f in files] == [(("sha256", "ee"),), (), None,
                                                (("sha256", "ff"),)]


def test_json_size_must_be_an_integer():
    [file] = parse_json(json_page({"filename": "a-1.0.tar.gz", "url": "a-1.0.tar.gz",
                                   "hashes": {}, "size": "12"}), PAGE_URL)
    assert file.size is None


def test_json_filename_defaults_to_the_url_and_malformed_entries_are_skipped():
    files = parse_json(json_page({"url": "https://cdn.example/x/a-1.0.tar.gz#sha256=ab",
                                  "hashes": {}},
                                 {"filename": "no-url.tar.gz"}, {"url": 5}), PAGE_URL)
    assert [(f.filename, f.url) for f in files] == [
        ("a-1.0.tar.gz", "https://cdn.example/x/a-1.0.tar.gz")]


@pytest.mark.parametrize("content", [b"<html>", b"{}", b"[]", b'{"files": 3}',
                                     b'{"files": {"a": 1}}'])
def test_json_invalid_page_is_a_clean_error(content):
    with pytest.raises(PackageIndexError) as caught:
        parse_json(content, PAGE_URL)
    assert str(caught.value) == f"The index page `{PAGE_URL}` is not valid PEP 691 JSON"


def test_parse_page_picks_the_parser_by_content_type():
    json_content = json_page({"filename": "a-1.0.tar.gz", "url": "a-1.0.tar.gz", "hashes": {}})
    assert parse_page(json_content, "application/vnd.pypi.simple.v1+json; charset=utf-8",
                      PAGE_URL)[0].filename == "a-1.0.tar.gz"
    html_content = html_page('<a href="a-1.0.tar.gz">a</a>')
    for content_type in ("text/html", "application/vnd.pypi.simple.v1+html", None):
        assert parse_page(html_content, content_type, PAGE_URL)[0].filename == "a-1.0.tar.gz"


def test_index_file_tuple_round_trip():
    [file] = parse_json(json_page({"filename": "a-1.0-py3-none-any.whl", "url": "a",
                                   "hashes": {"sha256": "ab"}, "yanked": "r",
                                   "core-metadata": {"sha256": "cd"}, "size": 3,
                                   "requires-python": ">=3", "upload-time": "t"}), PAGE_URL)
    assert IndexFile.from_tuple(file.to_tuple()) == file


# -- pages kept as raw anchors, parsed per version (group_html) --------------------------------

LAZY_PAGE = b"""<!DOCTYPE html><html><head><base href="https://files.example/pkgs/"></head><body>
<a href="a-1.0.tar.gz#sha256=AAAA">a-1.0.tar.gz</a><br/>
<a href="a-1.0-py3-none-any.whl#sha256=bbbb" data-requires-python="&gt;=3.8" data-core-metadata="sha256=cc">a-1.0-py3-none-any.whl</a><br/>
<a href="https://other.example/x/a-2.0%2Blocal-py3-none-any.whl" data-yanked="broken &amp; bad">a-2.0+local-py3-none-any.whl</a>
<a href="../b-1.0.tar.gz">b-1.0.tar.gz</a>
</body></html>"""


def _version_of(filename):
    from puv.core.filenames import split_filename

    split = split_filename(filename)
    return None if split is None else split[:2]


def test_group_html_groups_raw_anchors_by_version_for_the_project_only():
    from puv.index.simple import group_html

    groups = group_html(LAZY_PAGE, "https://idx.example/simple/a/", "a", _version_of)
    assert sorted(groups) == ["1.0", "2.0+local"]
    assert groups["1.0"].count(b"<a ") == 2
    assert all(group.startswith(b"<a ") for group in groups.values())


def test_lazy_page_files_equal_a_whole_parse():
    from puv.index.registry import Page
    from puv.index.simple import group_html, page_base

    url = "https://idx.example/simple/a/"
    groups = group_html(LAZY_PAGE, url, "a", _version_of)
    lazy = Page.from_payload(Page(dict(groups), page_base(LAZY_PAGE, url)).to_payload())
    whole = Page.from_files("a", parse_html(LAZY_PAGE, url))
    assert lazy.version_texts() == whole.version_texts()
    for text in whole.version_texts():
        assert lazy.files(text) == whole.files(text)
    wheel = lazy.files("1.0")[1]
    assert wheel.url == "https://files.example/pkgs/a-1.0-py3-none-any.whl"
    assert wheel.requires_python == ">=3.8" and wheel.core_metadata == (("sha256", "cc"),)
    assert lazy.files("2.0+local")[0].yanked == "broken & bad"


def test_group_html_declines_pages_with_other_anchor_forms():
    from puv.index.simple import group_html

    page = LAZY_PAGE + b"<a data-yanked='' href='a-3.0.tar.gz'>a-3.0.tar.gz</a>"
    assert group_html(page, "https://idx.example/simple/a/", "a", _version_of) is None


def test_html_upload_time_is_read_from_data_upload_time():
    """PyPI's HTML pages carry `data-upload-time`; `uv.lock` records it."""
    page = (b'<a href="https://files.example/a-1.0.tar.gz#sha256=00" '
            b'data-upload-time="2018-07-31T04:16:34.684371Z">a-1.0.tar.gz</a>'
            b'<a href="b-1.0.tar.gz" data-upload-time="2019-01-01T00:00:00Z" '
            b'data-yanked="">b-1.0.tar.gz</a><a href="c-1.0.tar.gz">c</a>')
    files = parse_html(page, "https://index.example/simple/a/")
    assert [f.upload_time for f in files] == [
        "2018-07-31T04:16:34.684371Z", "2019-01-01T00:00:00Z", None]
