"""Value types and Protocols shared across layers.

`Console` is how a command talks to the person running it; the CLI's printer implements it,
tests may pass a fake. Engines below the commands layer never print: they report events.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Console"]


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
