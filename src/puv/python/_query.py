# This script runs inside the interpreter being inspected, as `python -E -s -c <source>`. It must
# work on every Python that might be found (2.7 included, so that an old interpreter is named in
# a clear error rather than crashing discovery): no f-strings, no imports beyond the stdlib, and
# failures are reported as JSON, never as a traceback.
import json
import os
import platform
import struct
import sys
import sysconfig


def _glibc():
    try:
        value = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, OSError, ValueError):
        return None
    if not value:
        return None
    parts = value.split()
    if len(parts) != 2 or parts[0] != "glibc":
        return None
    return parts[1]


def _musl():
    # A musl interpreter's dynamic loader is named ld-musl-*; glibc's is not.
    if sys.platform != "linux" or _glibc():
        return None
    try:
        import subprocess

        loader = [p for p in os.listdir("/lib") if p.startswith("ld-musl-")]
        if not loader:
            return None
        out = subprocess.Popen([os.path.join("/lib", loader[0])], stderr=subprocess.PIPE)
        text = out.communicate()[1].decode("utf-8", "replace")
        for line in text.splitlines():
            if line.startswith("Version "):
                return line.split()[1]
    except Exception:
        return None
    return None


def _scheme(base):
    """The install scheme of a virtual environment at `base`, as paths relative to it."""
    names = sysconfig.get_scheme_names()
    scheme = "venv" if "venv" in names else ("nt" if os.name == "nt" else "posix_prefix")
    variables = {"base": base, "platbase": base, "installed_base": base,
                 "installed_platbase": base, "userbase": base, "py_version_nodot_plat": ""}
    paths = sysconfig.get_paths(scheme=scheme, vars=variables)
    out = {}
    for key, value in paths.items():
        if value.startswith(base):
            out[key] = value[len(base):].lstrip("/\\")
        else:
            out[key] = value
    return out


def main():
    impl = getattr(sys, "implementation", None)
    impl_name = impl.name if impl is not None else platform.python_implementation().lower()
    if impl is not None:
        iv = impl.version
        impl_version = "%d.%d.%d" % (iv.major, iv.minor, iv.micro)
        if iv.releaselevel != "final":
            impl_version += iv.releaselevel[0] + str(iv.serial)
    else:
        impl_version = platform.python_version()
    markers = {
        "implementation_name": impl_name,
        "implementation_version": impl_version,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_python_implementation": platform.python_implementation(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }
    base_prefix = getattr(sys, "base_prefix", getattr(sys, "real_prefix", sys.prefix))
    gil_disabled = sysconfig.get_config_var("Py_GIL_DISABLED") in (1, "1", True)
    info = {
        "ok": True,
        "executable": sys.executable,
        "base_executable": getattr(sys, "_base_executable", None),
        "prefix": sys.prefix,
        "base_prefix": base_prefix,
        "base_exec_prefix": getattr(sys, "base_exec_prefix", sys.exec_prefix),
        "implementation": impl_name,
        "version": list(sys.version_info[:3]) + [sys.version_info[3], sys.version_info[4]],
        "markers": markers,
        "platform": sysconfig.get_platform(),
        "soabi": sysconfig.get_config_var("SOABI"),
        "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
        "abiflags": getattr(sys, "abiflags", ""),
        "gil_disabled": gil_disabled,
        "pointer_size": struct.calcsize("P") * 8,
        "glibc": _glibc(),
        "musl": _musl(),
        "paths": sysconfig.get_paths(),
        "venv_scheme": _scheme("{base}"),
        "stdlib": sysconfig.get_path("stdlib"),
        "externally_managed": os.path.exists(
            os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")),
    }
    sys.stdout.write(json.dumps(info))


try:
    main()
except Exception as error:  # report, don't crash: the caller turns this into a clear error
    sys.stdout.write(json.dumps({"ok": False, "error": "%s: %s" % (type(error).__name__, error)}))
