"""Value types and Protocols shared across layers.

`Console` is how a command talks to the person running it; the CLI's printer implements it,
tests may pass a fake. Engines below the commands layer never print: they report events to a
`Reporter` (the CLI draws progress bars from them on a terminal).
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Console", "Reporter"]


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
