"""A progress bar for long runs: Rich, on stderr, shown once a run has taken a second."""

from __future__ import annotations

import threading

from accord.cli.render import err, plain


class ProgressBar:
    """Called as ``bar(done, total)`` by the Monte Carlo service after every chunk of draws; a
    context manager that starts the bar after a second (quick runs show nothing) and removes it
    at the end. Only on a terminal."""

    def __init__(self, what: str, enabled: bool):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = err()
        self.enabled = enabled and console.is_terminal
        self._lock = threading.Lock()
        self._started = self._stopped = False
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn(plain(what).markup),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task(what, total=None)
        self._timer = threading.Timer(1.0, self._start)
        self._timer.daemon = True

    def _start(self) -> None:
        with self._lock:
            if not self._stopped:
                self.progress.start()
                self._started = True

    def __call__(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def __enter__(self) -> ProgressBar | None:
        if not self.enabled:
            return None
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.enabled:
            return
        self._timer.cancel()
        with self._lock:
            self._stopped = True
            if self._started:
                self.progress.stop()


def report_interrupted(done: int, total: int) -> None:
    err().print(
        plain(
            f"interrupted: {done:,} of {total:,} draws finished; the numbers above use those "
            "draws only.",
            "yellow",
        )
    )
