"""Build failures, in uv's words.

A failed hook reads, as with uv::

    Failed to build `a @ file:///home/me/a`
      cause: The build backend returned an error
      cause: Call to `setuptools.build_meta.build_wheel` failed (exit status: 1)

    [stdout]
    ...

    [stderr]
    ...

with the hint `This usually indicates a problem with the package or the build environment.`
(or a more specific one when the output shows a missing module, header or library). The
message is the whole story: the CLI prints it without a traceback of puv's own.
"""

from __future__ import annotations

import re

from puv.errors import PuvError

__all__ = ["BuildError", "HookOutput", "backend_error", "build_failure"]

_GENERIC_HINT = "This usually indicates a problem with the package or the build environment."
_MISSING_HEADER = re.compile(
    r".*\.(?:c|c..|h|h..):\d+:\d+: fatal error: '?([^':]*\.(?:h|h..))'?"
    r"(?:: No such file or directory| file not found)")
_LD_NOT_FOUND = re.compile(r"/usr/bin/ld: cannot find -l([a-zA-Z0-9]+): No such file or directory")
_MODULE_NOT_FOUND = re.compile(r"ModuleNotFoundError: No module named ['\"]([^'\"]+)['\"]")
_NO_BDIST_WHEEL = re.compile(r"error: invalid command 'bdist_wheel'")


class BuildError(PuvError):
    """A distribution could not be turned into metadata or a wheel: its build environment
    could not be made, or its backend failed (the message holds the backend's output)."""


class HookOutput:
    """What one hook call printed, and how its process ended."""

    __slots__ = ("returncode", "stderr", "stdout")

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    @property
    def status(self) -> str:
        """`exit status: 1`, or `signal: 9` for a process killed by a signal."""
        if self.returncode < 0:
            return f"signal: {-self.returncode}"
        return f"exit status: {self.returncode}"


def build_failure(display: str, *causes: str, hint: str | None = None) -> BuildError:
    """`Failed to build `display``, then each cause on its own `cause:` line."""
    text = f"Failed to build `{display}`"
    for cause in causes:
        first, newline, rest = cause.partition("\n")
        text += f"\n  cause: {first}" + (newline + rest if newline else "")
    return BuildError(text, hint=hint)


def _section(name: str, text: str) -> str:
    lines = text.rstrip().splitlines()
    if not any(line.strip() for line in lines):
        return ""
    return f"\n\n[{name}]\n" + "\n".join(lines)


def _hint(output: HookOutput, name: str | None, version: str | None) -> str:
    """A specific hint when the output says what is missing, else uv's generic one."""
    who = f"{name}@{version}" if name and version else name
    for line in reversed(output.stderr.splitlines()[-10:]):
        line = line.strip()
        match = _MISSING_HEADER.match(line)
        if match:
            return ("This error likely indicates that you need to install a library that "
                    f"provides \"{match.group(1)}\"" + (f" for `{who}`" if who else ""))
        match = _LD_NOT_FOUND.search(line)
        if match:
            library = match.group(1)
            return ("This error likely indicates that you need to install the library that "
                    f"provides a shared library for `{library}`"
                    + (f" for `{who}`" if who else "") + f" (e.g., `lib{library}-dev`)")
        if "ModuleNotFoundError: No module named 'distutils'" in line:
            if name and version:
                return ("`distutils` was removed from the standard library in Python 3.12. "
                        f"Consider adding a constraint (like `{name} >{version}`) to avoid "
                        f"building a version of `{name}` that depends on `distutils`.")
            return ("`distutils` was removed from the standard library in Python 3.12. "
                    "Consider adding a constraint to avoid building a package that depends on "
                    "`distutils`.")
        module = None
        if _NO_BDIST_WHEEL.search(line):
            module = "wheel"
        else:
            found = _MODULE_NOT_FOUND.search(line)
            if found:
                module = found.group(1).split(".")[0]
        if module is not None:
            package = name or "the package"
            return (f"This error likely indicates that `{who or package}` depends on "
                    f"`{module}`, but doesn't declare it as a build dependency. If `{package}` "
                    f"is a first-party package, consider adding `{module}` to its "
                    "`build-system.requires`. Otherwise, either add it to your "
                    "`pyproject.toml` under:\n\n[tool.uv.extra-build-dependencies]\n"
                    f"{package} = [\"{module}\"]\n\nor `puv pip install {module}` into the "
                    "environment and re-run with `--no-build-isolation`.")
    return _GENERIC_HINT


def backend_error(display: str, call: str, output: HookOutput, *, name: str | None = None,
                  version: str | None = None, detail: str | None = None) -> BuildError:
    """A hook that failed: `call` is `backend.hook`; `detail` replaces the exit status when
    the process ended normally but the hook could not run (the backend would not import)."""
    failure = f"Call to `{call}` failed ({detail or output.status})"
    failure += _section("stdout", output.stdout) + _section("stderr", output.stderr)
    return build_failure(display, "The build backend returned an error", failure,
                         hint=_hint(output, name, version))
