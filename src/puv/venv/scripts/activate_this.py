"""Activate the puv virtual environment inside an already running interpreter.

Use it when the interpreter was not started from the environment, for example
when Python is embedded in another program:

    activator = "/path/to/venv/bin/activate_this.py"  # Scripts, not bin, on Windows
    with open(activator) as f:
        exec(f.read(), {"__file__": activator})

The environment's site-packages directory (and whatever its .pth files add)
goes to the front of sys.path, sys.prefix and sys.exec_prefix point at the
environment, and the process environment gets VIRTUAL_ENV, VIRTUAL_ENV_PROMPT
and a PATH starting with the environment's scripts directory, so that
child processes see the environment too.

This changes the running interpreter for good: there is no way to deactivate.
"""

import os
import site
import sys
import sysconfig

try:
    _puv_bin_dir = os.path.dirname(os.path.abspath(__file__))
except NameError:
    # exec'd without __file__: fall back to where the environment was created.
    _puv_bin_dir = os.path.join(r"""__VIRTUAL_ENV__""", "__BIN_NAME__")
_puv_base = os.path.dirname(_puv_bin_dir)


def _puv_site_packages(base: str) -> "list[str]":
    """The site-packages directories of the environment at *base*, for this interpreter."""
    if sys.platform == "win32":
        return [os.path.join(base, "Lib", "site-packages")]

    # POSIX: <base>/lib/<impl><X.Y>[t]/site-packages, where <impl> is "python"
    # or "pypy" and the "t" marks a free-threaded build. Distributions that use
    # lib64 for compiled code (sys.platlibdir) get that directory too.
    impl = "pypy" if sys.implementation.name == "pypy" else "python"
    suffix = "t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""
    version = f"{impl}{sys.version_info[0]}.{sys.version_info[1]}{suffix}"
    libdirs = ["lib"]
    platlibdir = getattr(sys, "platlibdir", "lib")
    if platlibdir not in libdirs:
        libdirs.append(platlibdir)
    candidates = [os.path.join(base, libdir, version, "site-packages") for libdir in libdirs]

    found: list[str] = []
    for candidate in candidates:
        if not os.path.isdir(candidate):
            continue
        # lib64 is usually a symlink to lib: list that directory only once.
        if any(os.path.samefile(candidate, seen) for seen in found):
            continue
        found.append(candidate)
    return found or candidates[:1]


# Child processes: the same variables the shell activation scripts set.
_puv_old_path = os.environ.get("PATH", "")
os.environ["PATH"] = _puv_bin_dir + os.pathsep + _puv_old_path if _puv_old_path else _puv_bin_dir
os.environ["VIRTUAL_ENV"] = _puv_base
_puv_prompt = r"""__VIRTUAL_PROMPT__"""
os.environ["VIRTUAL_ENV_PROMPT"] = _puv_prompt if _puv_prompt else os.path.basename(_puv_base)
os.environ.pop("PYTHONHOME", None)

# This interpreter: add the site-packages directories the way site.py does (so
# .pth files are processed), then move everything that was added in front of
# the entries that were already there.
_puv_old_sys_path = list(sys.path)
for _puv_dir in _puv_site_packages(_puv_base):
    site.addsitedir(_puv_dir)
_puv_added = [entry for entry in sys.path if entry not in _puv_old_sys_path]
sys.path[:] = _puv_added + _puv_old_sys_path

# sys.base_prefix keeps naming the base installation, as in a real venv.
sys.prefix = _puv_base
sys.exec_prefix = _puv_base

del _puv_prompt, _puv_old_path, _puv_old_sys_path, _puv_added, _puv_bin_dir, _puv_base
try:
    del _puv_dir
except NameError:
    pass
del _puv_site_packages
