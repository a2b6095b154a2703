"""A stdlib-only PEP 517 / PEP 660 backend that records every hook call, for build tests.

A project using it has ``build-backend = "_recording_backend"`` and ``backend-path = ["."]``
and a ``recording.json`` beside it (written by ``tests/support/builds.py``)::

    {"name": "rec", "version": "1.0", "dependencies": ["b>=1"],
     "log": "/abs/path/log.jsonl",        # one JSON line per hook call
     "prepare_metadata": true,            # false: the hook does not exist
     "get_requires": ["x"],               # what get_requires_for_build_* return
     "needs": ["b"],                      # distributions that must be importable at build
     "fail": {"build_wheel": {"stdout": "...", "stderr": "...", "code": 1}},
     "sleep": 0.0,                        # seconds build_wheel takes
     "record_env": ["VAR"]}               # environment variables to log

Each log line: ``{"hook", "pid", "prefix" (sys.prefix), "executable", "config_settings",
"cwd", "env"}``.
"""

import base64
import hashlib
import json
import os
import sys
import time
import zipfile

CONFIG = "recording.json"


def _config():
    with open(CONFIG, encoding="utf-8") as handle:
        return json.load(handle)


def _record(hook, config_settings, check=True):
    config = _config()
    environ = {name: os.environ.get(name) for name in config.get("record_env", [])}
    line = json.dumps({"hook": hook, "pid": os.getpid(), "prefix": sys.prefix,
                       "executable": sys.executable, "config_settings": config_settings,
                       "cwd": os.getcwd(), "env": environ}) + "\n"
    fd = os.open(config["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)
    failure = config.get("fail", {}).get(hook)
    if failure:
        sys.stdout.write(failure.get("stdout", ""))
        sys.stdout.flush()
        sys.stderr.write(failure.get("stderr", ""))
        sys.stderr.flush()
        sys.exit(failure.get("code", 1))
    for name in config.get("needs", []) if check else []:
        from importlib import metadata

        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            sys.stderr.write(f"build requirement {name!r} is not installed\n")
            sys.exit(1)
    return config


def _escape(name):
    return name.replace("-", "_").replace(".", "_").lower()


def _metadata(config):
    lines = ["Metadata-Version: 2.1", f"Name: {config['name']}",
             f"Version: {config['version']}"]
    lines += [f"Requires-Dist: {d}" for d in config.get("dependencies", [])]
    return ("\n".join(lines) + "\n").encode()


def _dist_info(config):
    return f"{_escape(config['name'])}-{config['version']}.dist-info"


def _write_dist_info(directory, config):
    path = os.path.join(directory, _dist_info(config))
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "METADATA"), "wb") as handle:
        handle.write(_metadata(config))
    return _dist_info(config)


def _wheel(directory, config, files):
    base = _dist_info(config)
    entries = dict(files)
    entries[base + "/METADATA"] = _metadata(config)
    entries[base + "/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: recording\n"
                                b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    record = []
    for path, data in sorted(entries.items()):
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(data)}")
    record.append(base + "/RECORD,,")
    entries[base + "/RECORD"] = ("\n".join(record) + "\n").encode()
    filename = f"{_escape(config['name'])}-{config['version']}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(directory, filename), "w") as archive:
        for path, data in entries.items():
            info = zipfile.ZipInfo(path, (1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return filename


def _module_files(config):
    module = _escape(config["name"])
    files = {}
    source = os.path.join(module, "__init__.py")
    if os.path.isfile(source):
        with open(source, "rb") as handle:
            files[module + "/__init__.py"] = handle.read()
    else:
        files[module + "/__init__.py"] = f"__version__ = {config['version']!r}\n".encode()
    return files


def get_requires_for_build_wheel(config_settings=None):
    config = _record("get_requires_for_build_wheel", config_settings, check=False)
    return list(config.get("get_requires", []))


def get_requires_for_build_editable(config_settings=None):
    config = _record("get_requires_for_build_editable", config_settings, check=False)
    return list(config.get("get_requires", []))


def get_requires_for_build_sdist(config_settings=None):
    _record("get_requires_for_build_sdist", config_settings, check=False)
    return []


def _prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    config = _record("prepare_metadata_for_build_wheel", config_settings)
    return _write_dist_info(metadata_directory, config)


def _prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    config = _record("prepare_metadata_for_build_editable", config_settings)
    return _write_dist_info(metadata_directory, config)


def __getattr__(name):
    # The metadata hooks exist only when the project says so (PEP 562 module attribute).
    metadata_hooks = ("prepare_metadata_for_build_wheel", "prepare_metadata_for_build_editable")
    if name in metadata_hooks and _config().get("prepare_metadata", True):
        return globals()["_" + name]
    raise AttributeError(name)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    config = _record("build_wheel", config_settings)
    time.sleep(config.get("sleep", 0))
    return _wheel(wheel_directory, config, _module_files(config))


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    config = _record("build_editable", config_settings)
    pth = f"__editable__.{_escape(config['name'])}-{config['version']}.pth"
    return _wheel(wheel_directory, config, {pth: (os.getcwd() + "\n").encode()})


def build_sdist(sdist_directory, config_settings=None):
    import tarfile

    config = _record("build_sdist", config_settings)
    base = f"{_escape(config['name'])}-{config['version']}"
    filename = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as archive:
        for name in sorted(os.listdir(".")):
            if name.startswith((".", "build")):
                continue
            archive.add(name, arcname=base + "/" + name)
    return filename
