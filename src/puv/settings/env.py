"""Every environment variable puv reads, declared once, with what it means.

Values are parsed here and nowhere else: `flag("UV_OFFLINE")` is `True`, `False` or `None`
(unset), and a value that is not a boolean is a `SettingsError` naming the variable.
"""

from __future__ import annotations

import os

from puv.errors import SettingsError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["ENV_VARS", "EnvVar", "flag", "index_credentials", "integer", "string", "words"]


class EnvVar:
    __slots__ = ("doc", "kind", "name", "setting")

    def __init__(self, name: str, kind: str, doc: str, setting: str | None = None) -> None:
        self.name = name
        self.kind = kind  # "bool", "str", "int", "path", "list" (space separated)
        self.doc = doc
        self.setting = setting  # the `[tool.uv]` key it overrides, if any


ENV_VARS: dict[str, EnvVar] = {
    v.name: v
    for v in (
        EnvVar("UV_CACHE_DIR", "path", "The cache directory.", "cache-dir"),
        EnvVar("UV_NO_CACHE", "bool", "Use a temporary cache for this run.", "no-cache"),
        EnvVar("UV_OFFLINE", "bool", "Disable network access.", "offline"),
        EnvVar("UV_PYTHON", "str", "The Python interpreter request (`--python`)."),
        EnvVar("UV_PYTHON_PREFERENCE", "str", "managed, only-managed, system or only-system.",
               "python-preference"),
        EnvVar("UV_MANAGED_PYTHON", "bool", "Only use managed Python installations."),
        EnvVar("UV_NO_MANAGED_PYTHON", "bool", "Never use managed Python installations."),
        EnvVar("UV_PYTHON_DOWNLOADS", "str", "automatic, manual or never.", "python-downloads"),
        EnvVar("UV_PYTHON_INSTALL_DIR", "path", "Where managed Python installations live."),
        EnvVar("UV_NO_PROGRESS", "bool", "Hide progress output."),
        EnvVar("UV_PREVIEW", "bool", "Enable preview features.", "preview"),
        EnvVar("UV_SYSTEM_CERTS", "bool", "Use the platform's certificate store.", "system-certs"),
        EnvVar("UV_NATIVE_TLS", "bool", "Alias of UV_SYSTEM_CERTS.", "native-tls"),
        EnvVar("UV_INSECURE_HOST", "list", "Hosts whose TLS certificates are not verified.",
               "allow-insecure-host"),
        EnvVar("UV_HTTP_TIMEOUT", "int", "Seconds to wait for an HTTP response (default 30)."),
        EnvVar("UV_REQUEST_TIMEOUT", "int", "Alias of UV_HTTP_TIMEOUT."),
        EnvVar("HTTP_TIMEOUT", "int", "Alias of UV_HTTP_TIMEOUT."),
        EnvVar("UV_HTTP_RETRIES", "int", "Retries of a failed HTTP request (default 3)."),
        EnvVar("SSL_CERT_FILE", "path", "A CA bundle that replaces the default roots."),
        EnvVar("SSL_CERT_DIR", "path", "A directory of CA certificates (OpenSSL layout)."),
        EnvVar("NETRC", "path", "The netrc file with index credentials (default ~/.netrc)."),
        EnvVar("UV_DEFAULT_INDEX", "str", "The default index (`--default-index`).",
               "index"),
        EnvVar("UV_INDEX_URL", "str", "The default index (`--index-url`, deprecated).",
               "index-url"),
        EnvVar("UV_INDEX", "list", "Extra indexes, `[name=]url`, space separated (`--index`).",
               "index"),
        EnvVar("UV_EXTRA_INDEX_URL", "list", "Extra indexes, space separated "
               "(`--extra-index-url`).", "extra-index-url"),
        EnvVar("UV_FIND_LINKS", "str", "Flat indexes, comma separated (`--find-links`).",
               "find-links"),
        EnvVar("UV_NO_INDEX", "bool", "Ignore every index (`--no-index`).", "no-index"),
        EnvVar("UV_INDEX_STRATEGY", "str", "first-index, unsafe-first-match or "
               "unsafe-best-match.", "index-strategy"),
        EnvVar("UV_INDEX_{NAME}_USERNAME", "str", "The username for the index named NAME "
               "(upper-cased, non-alphanumerics as `_`)."),
        EnvVar("UV_INDEX_{NAME}_PASSWORD", "str", "The password for the index named NAME."),
        EnvVar("UV_WORKING_DIR", "path", "Change to this directory first (`--directory`)."),
        EnvVar("UV_PROJECT", "path", "Discover the project here (`--project`)."),
        EnvVar("UV_CONFIG_FILE", "path", "Read only this `uv.toml` (`--config-file`)."),
        EnvVar("UV_NO_CONFIG", "bool", "Read no configuration file (`--no-config`)."),
        EnvVar("UV_LINK_MODE", "str", "clone, copy, hardlink or symlink.", "link-mode"),
        EnvVar("UV_COMPILE_BYTECODE", "bool", "Compile bytecode after installing.",
               "compile-bytecode"),
        EnvVar("UV_CONCURRENT_DOWNLOADS", "int", "Parallel downloads.", "concurrent-downloads"),
        EnvVar("UV_CONCURRENT_BUILDS", "int", "Parallel builds.", "concurrent-builds"),
        EnvVar("UV_CONCURRENT_INSTALLS", "int", "Parallel installs.", "concurrent-installs"),
        EnvVar("UV_LOCK_TIMEOUT", "int", "Seconds to wait for a file lock (default 300)."),
        EnvVar("UV_VENV_SEED", "bool", "`puv venv --seed`."),
        EnvVar("UV_VENV_CLEAR", "bool", "`puv venv --clear`."),
        EnvVar("UV_NO_PROJECT", "bool", "Avoid discovering a project (`--no-project`)."),
        EnvVar("UV_SYSTEM_PYTHON", "bool", "Use a system interpreter (`--system`)."),
        EnvVar("UV_PROJECT_ENVIRONMENT", "path", "The project's virtual environment."),
        EnvVar("VIRTUAL_ENV", "path", "The active virtual environment."),
        EnvVar("CONDA_PREFIX", "path", "The active conda environment."),
        EnvVar("PYENV_ROOT", "path", "Where pyenv keeps its interpreters (default ~/.pyenv)."),
        EnvVar("PYENV_VERSION", "str", "The pyenv version selected for this shell."),
        EnvVar("NO_COLOR", "str", "Disable colored output (any non-empty value)."),
        EnvVar("FORCE_COLOR", "str", "Force colored output (any non-empty value)."),
        EnvVar("CLICOLOR_FORCE", "str", "Force colored output (any non-empty value)."),
        EnvVar("SHELL", "path", "The user's shell, for the activation hint of `puv venv`."),
        EnvVar("XDG_CACHE_HOME", "path", "Base of the default cache directory."),
        EnvVar("XDG_CONFIG_HOME", "path", "Base of the user configuration directory."),
        EnvVar("XDG_CONFIG_DIRS", "path", "Bases of the system configuration directories."),
        EnvVar("XDG_DATA_HOME", "path", "Base of the data directory (managed Pythons)."),
        EnvVar("UV_REQUIRE_HASHES", "bool", "Require a matching hash for every requirement "
               "(`--require-hashes`)."),
        EnvVar("UV_NO_VERIFY_HASHES", "bool", "Do not check the hashes a requirements file "
               "gives (`--no-verify-hashes`)."),
        EnvVar("UV_BREAK_SYSTEM_PACKAGES", "bool", "Allow changes to an externally managed "
               "interpreter (`--break-system-packages`)."),
        EnvVar("UV_CONSTRAINT", "list", "Constraints files (`-c`), space separated."),
        EnvVar("UV_SKIP_WHEEL_FILENAME_CHECK", "bool", "Accept wheels whose metadata names "
               "another project or version than their file name."),
        EnvVar("UV_NO_SOURCES", "bool", "Ignore `[tool.uv.sources]` when resolving "
               "(`--no-sources`).", "no-sources"),
        EnvVar("UV_NO_BUILD_ISOLATION", "bool", "Build sdists in the target environment, "
               "without an isolated build environment (`--no-build-isolation`).",
               "no-build-isolation"),
        EnvVar("UV_NO_BUILD", "bool", "Never build a source distribution (`--no-build`).",
               "no-build"),
        EnvVar("UV_NO_BUILD_PACKAGE", "list", "Packages never built from source, space "
               "separated (`--no-build-package`).", "no-build-package"),
        EnvVar("UV_NO_BINARY", "bool", "Never use a pre-built wheel (`--no-binary`).",
               "no-binary"),
        EnvVar("UV_NO_BINARY_PACKAGE", "list", "Packages never installed from a wheel, space "
               "separated (`--no-binary-package`).", "no-binary-package"),
        EnvVar("UV_RESOLUTION", "str", "highest, lowest or lowest-direct (`--resolution`).",
               "resolution"),
        EnvVar("UV_PRERELEASE", "str", "disallow, allow, if-necessary, explicit or "
               "if-necessary-or-explicit (`--prerelease`).", "prerelease"),
        EnvVar("UV_FORK_STRATEGY", "str", "requires-python or fewest: how universal "
               "resolution chooses versions across Python forks (`--fork-strategy`).",
               "fork-strategy"),
        EnvVar("UV_EXCLUDE_NEWER", "str", "Ignore files uploaded after this RFC 3339 time, date "
               "or duration (`--exclude-newer`).", "exclude-newer"),
        EnvVar("UV_OVERRIDE", "list", "Overrides files (`--overrides`), space separated."),
        EnvVar("UV_BUILD_CONSTRAINT", "list", "Build constraints files (`-b`), space "
               "separated."),
        EnvVar("UV_CUSTOM_COMPILE_COMMAND", "str", "The command `puv pip compile` writes in its "
               "header (`--custom-compile-command`)."),
        EnvVar("MACOSX_DEPLOYMENT_TARGET", "str", "The macOS version `--python-platform macos` "
               "targets (default 13.0)."),
        EnvVar("PUV_TEST_FAIL_AFTER_OPS", "int", "Tests only: make an install's commit fail "
               "after N operations (it is rolled back)."),
        EnvVar("PUV_TEST_KILL_AFTER_OPS", "int", "Tests only: kill puv after N operations of "
               "an install's commit (the next run rolls it back)."),
    )
}

_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "off", "n", "f", ""})


def _get(name: str, environ: Mapping[str, str] | None) -> str | None:
    if name not in ENV_VARS:  # pragma: no cover - a programming error
        raise KeyError(f"undeclared environment variable {name}")
    return (os.environ if environ is None else environ).get(name)


def string(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The variable's value, or `None` when it is unset or empty."""
    value = _get(name, environ)
    return value if value else None


def flag(name: str, environ: Mapping[str, str] | None = None) -> bool | None:
    """A boolean variable: `None` when unset."""
    value = _get(name, environ)
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingsError(
        f"Invalid value for `{name}`: expected a boolean (`1`, `true`, `0`, `false`), "
        f"found `{value}`"
    )


def integer(name: str, environ: Mapping[str, str] | None = None) -> int | None:
    """A non-negative integer variable: `None` when unset."""
    value = string(name, environ)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise SettingsError(
            f"Invalid value for `{name}`: expected a non-negative integer, found `{value}`"
        )
    return number


def words(name: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """A space-separated list variable (empty when unset)."""
    value = string(name, environ)
    return value.split() if value else []


def index_credentials(index_name: str, environ: Mapping[str, str] | None = None
                      ) -> tuple[str | None, str | None]:
    """`UV_INDEX_<NAME>_USERNAME` and `_PASSWORD` for the index named `index_name`."""
    import re

    key = re.sub(r"[^A-Z0-9]", "_", index_name.upper())
    source = os.environ if environ is None else environ
    return (source.get(f"UV_INDEX_{key}_USERNAME") or None,
            source.get(f"UV_INDEX_{key}_PASSWORD") or None)
