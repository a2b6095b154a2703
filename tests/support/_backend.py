"""A tiny, stdlib-only PEP 517 / PEP 660 build backend, and the wheel/sdist writers it shares.

This one file is used in two ways:

* ``tests/support/builder.py`` imports it to write every wheel and sdist of the test index, so
  there is exactly one implementation of the archive formats;
* every sdist contains a copy of it as ``_backend.py`` (with ``build-backend = "_backend"`` and
  ``backend-path = ["."]`` in its ``pyproject.toml``), so the sdist builds offline with nothing
  installed, through any PEP 517 frontend.

The project is described by ``_backend.json`` next to it::

    {"name": "a", "version": "1.0.0", "requires": ["b>=1"], "extras": {"x": ["d"]},
     "requires_python": ">=3.8", "entry_points": {"console_scripts": {"a-cli": "a:main"}},
     "build_requires": [], "files": ["a/__init__.py"]}

``requires`` and ``extras`` must already be in the canonical form that ``packaging`` prints
(``name[extra]>=1; marker``); the builder takes care of that.  ``files`` lists the paths (relative
to the project root) that go into the wheel.  Everything is deterministic: fixed timestamps,
sorted entries, so equal inputs give byte-identical archives.

It must keep working on any Python 3 a frontend may run it with: stdlib only, no new syntax.
"""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import zipfile
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the backend must import on old Pythons too
    from collections.abc import Mapping

    Config = Mapping[str, Any]

CONFIG_FILE = "_backend.json"
BACKEND_FILE = "_backend.py"
GENERATOR = "puv-test-backend 1.0"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
TAR_MTIME = 315532800  # 1980-01-01T00:00:00Z
BUILT_TAG = "py3-none-any"


# Names and tags


def escape(name: str) -> str:
    """The normalized, underscore-escaped form used in wheel and sdist file names."""
    return re.sub(r"[-_.]+", "_", name).lower()


def split_tag(tag: str) -> tuple[str | None, str]:
    """Split ``[build-]python-abi-platform`` into the optional build tag and the tag triple."""
    parts = tag.split("-")
    if len(parts) == 4 and parts[0][:1].isdigit():
        return parts[0], "-".join(parts[1:])
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"invalid wheel tag {tag!r}: expected [build-]python-abi-platform")
    return None, tag


def expand_tag(tag: str) -> list[str]:
    """Expand a compressed tag set (``py2.py3-none-any``) into single tags, in order."""
    pythons, abis, platforms = split_tag(tag)[1].split("-")
    return [
        f"{python}-{abi}-{platform}"
        for python in pythons.split(".")
        for abi in abis.split(".")
        for platform in platforms.split(".")
    ]


def wheel_filename(config: Config, tag: str) -> str:
    build, triple = split_tag(tag)
    build_part = f"-{build}" if build else ""
    return f"{escape(config['name'])}-{config['version']}{build_part}-{triple}.whl"


def sdist_basename(config: Config) -> str:
    return f"{escape(config['name'])}-{config['version']}"


def dist_info_dir(config: Config) -> str:
    return f"{sdist_basename(config)}.dist-info"


# Metadata files


def requires_dist(config: Config) -> list[str]:
    """``Requires-Dist`` values: plain requirements, then each extra's with an extra marker."""
    lines = list(config.get("requires", []))
    for extra, requirements in sorted(config.get("extras", {}).items()):
        for requirement in requirements:
            spec, _, marker = requirement.partition(";")
            condition = f'extra == "{extra}"'
            if marker.strip():
                condition = f"({marker.strip()}) and {condition}"
            lines.append(f"{spec.strip()}; {condition}")
    return lines


def render_metadata(config: Config) -> str:
    """Core metadata (``METADATA`` in wheels, ``PKG-INFO`` in sdists), version 2.3."""
    lines = [
        "Metadata-Version: 2.3",
        f"Name: {config['name']}",
        f"Version: {config['version']}",
    ]
    if config.get("requires_python"):
        lines.append(f"Requires-Python: {config['requires_python']}")
    lines.extend(f"Requires-Dist: {line}" for line in requires_dist(config))
    lines.extend(f"Provides-Extra: {extra}" for extra in sorted(config.get("extras", {})))
    return "\n".join(lines) + "\n"


def render_wheel_file(tag: str) -> str:
    build, _ = split_tag(tag)
    tags = expand_tag(tag)
    purelib = all(t.endswith("-none-any") for t in tags)
    lines = ["Wheel-Version: 1.0", f"Generator: {GENERATOR}"]
    lines.append(f"Root-Is-Purelib: {'true' if purelib else 'false'}")
    if build:
        lines.append(f"Build: {build}")
    lines.extend(f"Tag: {t}" for t in tags)
    return "\n".join(lines) + "\n"


def render_entry_points(entry_points: Mapping[str, Mapping[str, str]]) -> str:
    sections = []
    for group, entries in sorted(entry_points.items()):
        body = "".join(f"{name} = {value}\n" for name, value in sorted(entries.items()))
        sections.append(f"[{group}]\n{body}")
    return "\n".join(sections)


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def render_pyproject(config: Config) -> str:
    """A ``pyproject.toml`` using this in-tree backend, with the same static ``[project]``."""
    lines = [
        "[build-system]",
        "requires = []",
        'build-backend = "_backend"',
        'backend-path = ["."]',
        "",
        "[project]",
        f"name = {json.dumps(config['name'])}",
        f"version = {json.dumps(config['version'])}",
    ]
    if config.get("requires_python"):
        lines.append(f"requires-python = {json.dumps(config['requires_python'])}")
    lines.append(f"dependencies = {_toml_list(list(config.get('requires', [])))}")
    if config.get("extras"):
        lines += ["", "[project.optional-dependencies]"]
        for extra, requirements in sorted(config["extras"].items()):
            lines.append(f"{json.dumps(extra)} = {_toml_list(list(requirements))}")
    tables = {"console_scripts": "project.scripts", "gui_scripts": "project.gui-scripts"}
    for group, entries in sorted(config.get("entry_points", {}).items()):
        table = tables.get(group, f"project.entry-points.{json.dumps(group)}")
        lines += ["", f"[{table}]"]
        lines.extend(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in sorted(entries.items()))
    return "\n".join(lines) + "\n"


def dist_info_files(config: Config, tag: str) -> dict[str, bytes]:
    """The ``.dist-info`` files of a wheel, except ``RECORD``."""
    base = dist_info_dir(config)
    files = {
        f"{base}/METADATA": render_metadata(config).encode(),
        f"{base}/WHEEL": render_wheel_file(tag).encode(),
    }
    if config.get("entry_points"):
        files[f"{base}/entry_points.txt"] = render_entry_points(config["entry_points"]).encode()
    return files


# Archives


def record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def wheel_bytes(config: Config, files: Mapping[str, bytes], tag: str) -> bytes:
    """A complete wheel: ``files`` (sorted), then the ``.dist-info`` files, ``RECORD`` last."""
    entries = dict(sorted(files.items()))
    entries.update(dist_info_files(config, tag))
    record_path = f"{dist_info_dir(config)}/RECORD"
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for path, data in entries.items():
        writer.writerow([path, record_hash(data), len(data)])
    writer.writerow([record_path, "", ""])
    entries[record_path] = record.getvalue().encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in entries.items():
            info = zipfile.ZipInfo(path, ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def sdist_bytes(config: Config, tree: Mapping[str, bytes]) -> bytes:
    """A ``.tar.gz`` sdist of ``tree`` (relative path -> content) plus a generated ``PKG-INFO``."""
    base = sdist_basename(config)
    entries = dict(tree)
    entries["PKG-INFO"] = render_metadata(config).encode()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path, data in sorted(entries.items()):
            info = tarfile.TarInfo(f"{base}/{path}")
            info.size = len(data)
            info.mtime = TAR_MTIME
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    compressed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, mtime=0) as stream:
        stream.write(raw.getvalue())
    return compressed.getvalue()


def own_source() -> bytes:
    with open(os.path.abspath(__file__), "rb") as handle:
        return handle.read()


def source_tree(config: Config, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Everything an sdist holds besides ``PKG-INFO``: project files, pyproject, backend."""
    tree = dict(files)
    tree["pyproject.toml"] = render_pyproject(config).encode()
    tree[BACKEND_FILE] = own_source()
    tree[CONFIG_FILE] = (json.dumps(dict(config), indent=2, sort_keys=True) + "\n").encode()
    return tree


# PEP 517 / PEP 660 hooks (run with the project root as the working directory)


def _config() -> dict[str, Any]:
    with open(CONFIG_FILE, encoding="utf-8") as handle:
        config: dict[str, Any] = json.load(handle)
    return config


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _project_files(config: Config) -> dict[str, bytes]:
    return {path: _read(path) for path in config.get("files", [])}


def _write(directory: str, filename: str, data: bytes) -> str:
    with open(os.path.join(directory, filename), "wb") as handle:
        handle.write(data)
    return filename


def _check_build_requires(config: Config) -> None:
    """Fail like a real backend would when a declared build requirement is not installed."""
    from importlib import metadata

    for requirement in config.get("build_requires", []):
        if ";" in requirement:
            continue
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
        if match is None:
            continue
        try:
            metadata.distribution(match.group(0))
        except metadata.PackageNotFoundError:
            raise RuntimeError(f"build requirement {requirement!r} is not installed") from None


def get_requires_for_build_wheel(config_settings: Any = None) -> list[str]:
    return list(_config().get("build_requires", []))


def get_requires_for_build_editable(config_settings: Any = None) -> list[str]:
    return get_requires_for_build_wheel(config_settings)


def get_requires_for_build_sdist(config_settings: Any = None) -> list[str]:
    return []


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Any = None) -> str:
    config = _config()
    for path, data in dist_info_files(config, BUILT_TAG).items():
        target = os.path.join(metadata_directory, *path.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _write(os.path.dirname(target), os.path.basename(target), data)
    return dist_info_dir(config)


def prepare_metadata_for_build_editable(
    metadata_directory: str, config_settings: Any = None
) -> str:
    return prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def build_wheel(
    wheel_directory: str, config_settings: Any = None, metadata_directory: str | None = None
) -> str:
    config = _config()
    _check_build_requires(config)
    data = wheel_bytes(config, _project_files(config), BUILT_TAG)
    return _write(wheel_directory, wheel_filename(config, BUILT_TAG), data)


def build_editable(
    wheel_directory: str, config_settings: Any = None, metadata_directory: str | None = None
) -> str:
    """A PEP 660 wheel whose only content is a ``.pth`` file naming the project root."""
    config = _config()
    _check_build_requires(config)
    pth = f"__editable__.{sdist_basename(config)}.pth"
    files = {pth: (os.path.abspath(os.getcwd()) + "\n").encode()}
    data = wheel_bytes(config, files, BUILT_TAG)
    return _write(wheel_directory, wheel_filename(config, BUILT_TAG), data)


def build_sdist(sdist_directory: str, config_settings: Any = None) -> str:
    config = _config()
    tree = _project_files(config)
    for path in ("pyproject.toml", BACKEND_FILE, CONFIG_FILE):
        tree[path] = _read(path)
    return _write(sdist_directory, sdist_basename(config) + ".tar.gz", sdist_bytes(config, tree))
