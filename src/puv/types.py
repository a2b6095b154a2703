"""Value types and Protocols shared across layers.

`Console` is how a command talks to the person running it; the CLI's printer implements it,
tests may pass a fake. Engines below the commands layer never print: they report events to a
`Reporter` (the CLI draws progress bars from them on a terminal).

`BuildContext` breaks the one cycle of the design: building an sdist needs a resolution and an
install (of its build requirements), and a resolution can need a build. The build layer is
typed against this Protocol; `puv.dispatch` implements it once, with the resolver and the
installer (tests pass a fake that installs pinned wheels from a directory).
"""

from __future__ import annotations

from typing import Protocol

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["BuildContext", "BuildResolution", "Console", "Reporter"]


class Console(Protocol):
    """Where commands send what a person should see."""

    def result(self, text: str) -> None:
        """The command's output proper (stdout)."""

    def status(self, text: str) -> None:
        """A progress or summary line (stderr, hidden by `-q`)."""

    def warning(self, text: str) -> None:
        """A warning (stderr)."""

    def debug(self, text: str) -> None:
        """A line shown only with `-v`."""

    def style(self, text: str, style: str) -> str:
        """`text` in `style` (`bold`, `dim`, `cyan`, `green`, ...) when color is on."""

    def progress(self) -> Reporter | None:
        """A reporter that draws progress bars, when stderr is a terminal (else `None`);
        close it with `end_progress`."""

    def end_progress(self) -> None:
        """Remove the progress bars."""


class Reporter(Protocol):
    """Progress events from engines (downloads): `key` names one task, `total` may be unknown.
    Called from any thread."""

    def start(self, key: str, label: str, total: int | None) -> None:
        """A task begins (e.g. a download of `label`, `total` bytes)."""

    def advance(self, key: str, amount: int) -> None:
        """`amount` more units (bytes) of the task are done."""

    def finish(self, key: str) -> None:
        """The task ended (done or failed)."""


class BuildResolution(Protocol):
    """What `BuildContext.resolve` found. Opaque to the build layer, which hands it back to
    `BuildContext.install` and reads only `requirements`."""

    @property
    def requirements(self) -> Sequence[str]:
        """The pinned distributions, one per package (`name==version`, or `name @ url`),
        sorted by name: what a build environment holds, for messages and its cache record."""


class BuildContext(Protocol):
    """What a build needs from the rest of puv: resolve build requirements, install them.

    Called from any thread (builds of different distributions may run at once), and possibly
    re-entered: resolving the build requirements of one sdist may need the metadata of another
    sdist, hence another build. Detecting a cycle (`a` needs `b` to build, `b` needs `a`) is
    the implementation's job. Failures are `PuvError`s; the build layer wraps them in uv's
    words ("Failed to resolve requirements from `build-system.requires`").
    """

    def resolve(self, requirements: Sequence[str], python: str) -> BuildResolution:
        """Resolve `requirements` (PEP 508 strings, e.g. `setuptools>=40.8.0`, `wheel`,
        `name @ https://...`) for the interpreter whose executable is `python` (its markers
        and tags), honouring the run's indexes, build constraints and `--no-build`."""

    def install(self, resolution: BuildResolution, environment: str) -> None:
        """Install exactly `resolution` into the virtual environment whose root directory is
        `environment` (made empty for the purpose by the build layer)."""
