"""A simple index in a local directory (`--index /path` or `file://` URL)."""

from __future__ import annotations

import shutil

import pytest


@pytest.mark.parametrize("dirname", ["simple", "my index #1 %41"])
def test_local_directory_index(package_index, registry, tmp_path, dirname):
    source = package_index({"a": ["1.0.0"]})
    root = tmp_path / dirname
    (root / "a").mkdir(parents=True)
    wheel = "a-1.0.0-py3-none-any.whl"
    shutil.copy(source.find_links_dir / wheel, root / "a")
    (root / "a" / "index.html").write_text(f'<a href="{wheel}">{wheel}</a>')
    reg = registry(str(root))
    project = reg.fetch_projects(["a"])["a"]
    assert [str(v) for v in project.versions] == ["1.0.0"]
    candidate = project.files(project.versions[0])[0]
    [metadata] = reg.fetch_metadata([candidate])
    assert str(metadata.version) == "1.0.0"
    assert reg.loop.run(reg.download(candidate)) == str(root / "a" / wheel)
    assert not reg.fetch_projects(["nope"])["nope"]
    assert source.requests == []
