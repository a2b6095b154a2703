"""The printer: every line puv shows a person goes through here.

Status lines and diagnostics go to stderr, like uv; a command's *result* (a path, a list, a
requirements file) goes to stdout. Engines never print: they report events, and the CLI renders
them with this printer.
"""

from __future__ import annotations

import sys

from puv.settings import env

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from typing import Any, TextIO

    from puv.types import Reporter

__all__ = ["Printer", "color_enabled"]

_STYLES = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
    "error": "1;31",
    "warning": "1;33",
    "hint": "1;36",
}


def color_enabled(choice: str, stream: TextIO) -> bool:
    """Decide whether to color `stream`: `--color`, then NO_COLOR / FORCE_COLOR, then a TTY."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if env.string("NO_COLOR"):
        return False
    if env.string("FORCE_COLOR") or env.string("CLICOLOR_FORCE"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Printer:
    """Writes status to stderr and results to stdout, honouring `-q`, `-v` and `--color`."""

    def __init__(self, verbosity: int = 0, color: bool = False, progress: bool = True,
                 out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.verbosity = verbosity  # -1 and below: quiet, 0: normal, 1+: verbose
        self.color = color
        self.show_progress = progress
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._progress: Any = None

    def style(self, text: str, style: str) -> str:
        if not self.color:
            return text
        return f"\x1b[{_STYLES[style]}m{text}\x1b[0m"

    def result(self, text: str) -> None:
        """A command's output proper (stdout); shown even with `-q`, hidden with `-qq`."""
        if self.verbosity > -2:
            self.out.write(text + "\n")

    def status(self, text: str) -> None:
        """A progress or summary line (stderr); hidden by `-q`."""
        if self.verbosity >= 0:
            self.err.write(text + "\n")

    def debug(self, text: str) -> None:
        """A line for `-v` only."""
        if self.verbosity >= 1:
            self.err.write(self.style("DEBUG", "dim") + " " + text + "\n")

    def warning(self, text: str) -> None:
        if self.verbosity >= 0:
            self.err.write(f"{self.style('warning', 'warning')}{self.style(':', 'bold')} {text}\n")

    def error(self, text: str, hint: str | None = None) -> None:
        """An error is always shown, whatever the verbosity."""
        self.err.write(f"{self.style('error', 'error')}{self.style(':', 'bold')} {text}\n")
        if hint:
            self.err.write(f"\n{self.style('hint', 'hint')}{self.style(':', 'bold')} {hint}\n")
        self.err.flush()

    def progress(self) -> Reporter | None:
        """Progress bars on stderr, when it is a terminal and progress is not hidden."""
        if not self.show_progress or self.verbosity < 0:
            return None
        try:
            if not self.err.isatty():
                return None
        except (AttributeError, ValueError):
            return None
        if self._progress is None:
            from puv.cli.progress import ProgressBars

            self._progress = ProgressBars(self.err, color=self.color)
        return self._progress  # type: ignore[no-any-return]

    def end_progress(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress = None
