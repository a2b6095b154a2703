"""An event loop on a background thread, for synchronous callers (the resolver, commands).

The resolver is synchronous by design (DESIGN.md); the network is asyncio. `LoopThread` lets
the synchronous side start many requests at once (`submit` returns a `concurrent.futures`
future at once) and wait for the ones it needs (`run`). The thread starts on first use, so a
run that never touches the network never starts it (nor imports asyncio's event loop).
"""

from __future__ import annotations

import threading
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import asyncio
    import concurrent.futures

__all__ = ["LoopThread"]

T = TypeVar("T")


class LoopThread:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                import asyncio

                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def serve() -> None:
                    asyncio.set_event_loop(loop)
                    ready.set()
                    loop.run_forever()

                self._thread = threading.Thread(target=serve, name="puv-network", daemon=True)
                self._thread.start()
                ready.wait()
                self._loop = loop
            return self._loop

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Start `coroutine` on the loop; its future, at once."""
        import asyncio

        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the loop and wait for its result (or exception)."""
        return self.submit(coroutine).result()

    def close(self, final: Coroutine[Any, Any, Any] | None = None) -> None:
        """Run `final` (e.g. closing the HTTP client), then stop the loop and its thread."""
        if self._loop is None:
            if final is not None:
                final.close()
            return
        loop = self._loop
        try:
            # Requests started ahead of need (prefetching) that nobody waited for.
            self.run(_cancel_pending())
        except Exception:
            pass
        if final is not None:
            try:
                self.run(final)
            except Exception:
                pass
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
        loop.close()
        self._loop = None
        self._thread = None


async def _cancel_pending() -> None:
    import asyncio
    import warnings

    # A connection attempt cancelled half-way can leave an inner coroutine of the HTTP stack
    # unawaited; Python would print a warning about it at exit.
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited",
                            category=RuntimeWarning)

    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
