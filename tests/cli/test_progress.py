"""Download progress bars: drawn on a terminal only, removed when the downloads end."""

from __future__ import annotations

import io

from puv.cli.output import Printer
from puv.cli.progress import ProgressBars


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bars_when_stderr_is_not_a_terminal() -> None:
    assert Printer(err=io.StringIO()).progress() is None


def test_no_bars_when_hidden_or_quiet() -> None:
    assert Printer(err=_Terminal(), progress=False).progress() is None
    assert Printer(err=_Terminal(), verbosity=-1).progress() is None


def test_bars_follow_downloads() -> None:
    stream = _Terminal()
    printer = Printer(err=stream)
    bars = printer.progress()
    assert isinstance(bars, ProgressBars)
    bars.start("k", "idna-3.6-py3-none-any.whl", 1000)
    bars.advance("k", 500)
    bars.finish("k")
    bars.advance("k", 1)  # a late event for a finished task is ignored
    printer.end_progress()
    assert "idna" in stream.getvalue()
    assert printer.progress() is not bars  # a new set of bars after the end
