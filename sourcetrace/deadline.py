"""A time budget for one analysis or ingest, that a server can also cancel.

Python cannot stop a thread from outside, so the pipeline stops itself: it
checks the budget of the calling context between spaCy components, and inside
the long stages at their natural loop points (every token, quote and candidate
of the rule extractor, every attribution of the claim stage, every batch of the
cue model, every cue of the CRF, every item of an ingest). A server gives each
request a budget and cancels it when the client goes away (issue #11: one
abandoned 50 KB request kept a core busy for 90 s). Without a budget nothing is
checked, and a check costs one context-variable read.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Iterator

from .errors import AnalysisStopped

_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("sourcetrace_budget", default=None)


class Budget:
    """At most ``seconds`` of work (None: no limit), or less if :meth:`cancel` is called."""

    def __init__(self, seconds: float | None = None):
        self.seconds = seconds
        self.ends = None if seconds is None else time.monotonic() + seconds
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise AnalysisStopped("The analysis was cancelled: the client went away.")
        if self.ends is not None and time.monotonic() > self.ends:
            raise AnalysisStopped(
                f"The analysis took longer than this server's limit of {self.seconds:g} s: "
                "send a shorter article, or split it."
            )


@contextlib.contextmanager
def within(budget: Budget | None) -> Iterator[Budget | None]:
    """Run the block under ``budget`` (in this thread or task and what it calls)."""
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def check() -> None:
    """Raise :class:`~sourcetrace.errors.AnalysisStopped` if the current budget is spent or cancelled."""
    budget = _current.get()
    if budget is not None:
        budget.check()
