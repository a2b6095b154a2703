"""The exception hierarchy.

Every error a user can cause is a `PuvError`: a one-paragraph message, an optional hint, and the
exit status the command ends with. The CLI prints it without a traceback (unless `-v`). Anything
else that escapes a command is a bug and is shown with its traceback.

This module imports nothing else from puv, so every layer may import it.
"""

from __future__ import annotations

__all__ = [
    "CacheError",
    "FileLockTimeout",
    "HashMismatch",
    "InstallError",
    "InterpreterError",
    "MetadataError",
    "NetworkError",
    "OfflineError",
    "PackageIndexError",
    "PuvError",
    "PythonNotFound",
    "RequirementsError",
    "SettingsError",
    "UsageError",
    "VenvError",
    "WheelError",
]


class PuvError(Exception):
    """An error the user can act on: what went wrong, and (optionally) what to do about it."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(PuvError):
    """The command line itself is wrong (unknown option, bad value): exit status 2."""

    exit_code = 2


class SettingsError(PuvError):
    """A configuration file, environment variable or setting value is invalid."""


class PythonNotFound(PuvError):
    """No interpreter satisfies a request."""


class InterpreterError(PuvError):
    """An interpreter exists but cannot be used (it fails to start, or is too old)."""


class VenvError(PuvError):
    """A virtual environment cannot be created or used."""


class CacheError(PuvError):
    """The cache cannot be read, written or cleaned."""


class FileLockTimeout(PuvError):
    """Another puv process held a lock for longer than `UV_LOCK_TIMEOUT`."""


class NetworkError(PuvError):
    """A request failed: the host is unreachable, it timed out, or it kept answering errors.

    Messages name the URL with its credentials redacted.
    """


class OfflineError(NetworkError):
    """Network access is disabled (`--offline`) and the cache does not hold what is needed."""


class HashMismatch(PuvError):
    """A downloaded file's digest differs from the one the index (or the user) promised."""


class MetadataError(PuvError):
    """A distribution's core metadata is missing, unreadable or contradicts its file name."""


class PackageIndexError(PuvError):
    """An index answered something puv cannot use (a bad page, a refused login)."""


class RequirementsError(PuvError):
    """A requirements file (or a requirement given on the command line) cannot be read: the
    message names the file and line."""


class WheelError(PuvError):
    """A wheel is unsafe or broken (a member outside its target, a RECORD that disagrees with
    its files, a corrupt archive) or is not for the target interpreter: nothing was installed."""


class InstallError(PuvError):
    """Installing into or removing from an environment failed; the environment is as it was."""
