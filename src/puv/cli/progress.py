"""Progress bars for downloads, drawn with `rich` on a terminal (imported only then).

`ProgressBars` implements the `Reporter` protocol: engines call `start`, `advance` and
`finish` from any thread; a bar shows each download in flight, and disappears when it ends
(uv shows the same transient bars).
"""

from __future__ import annotations

import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

__all__ = ["ProgressBars"]


class ProgressBars:
    """Transient per-download bars on `stream`."""

    def __init__(self, stream: TextIO, *, color: bool) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
        )

        console = Console(file=stream, no_color=not color, highlight=False)
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                  DownloadColumn(), console=console, transient=True)
        self._tasks: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._started = False

    def start(self, key: str, label: str, total: int | None) -> None:
        with self._lock:
            if not self._started:
                self._progress.start()
                self._started = True
            name = label.split("-", 1)[0]
            self._tasks[key] = self._progress.add_task(name, total=total)

    def advance(self, key: str, amount: int) -> None:
        task = self._tasks.get(key)
        if task is not None:
            self._progress.advance(task, amount)

    def finish(self, key: str) -> None:
        with self._lock:
            task = self._tasks.pop(key, None)
            if task is not None:
                self._progress.remove_task(task)

    def close(self) -> None:
        with self._lock:
            if self._started:
                self._progress.stop()
                self._started = False
