"""The story's clock: Django's "now" set to moments of the past, always forward, then given back.

Why a clock of our own: the work services stamp every change with now() and today() (the
assignment day, the approval day, the ledger's occurred_at, a progress report's created_at)
and take no date argument, yet the demo must show tasks assigned months ago, overdue, finished
late. time-machine would do it, but it is a test dependency, not installed by `pip install
baro`, and `baro demo` is the README's first command. So, for the length of the story only,
this clock replaces `django.utils.timezone.now`, the one function every "now" in Baro comes
from (baro.core.timeutil.now/today, auto_now_add fields, authority checks).

Rules that keep the result honest:
- time only moves forward: the ledger is a hash chain read in sequence order, and its
  occurred_at must not go backwards inside the story (the scheduler orders every scene);
- a moment is never later than the real now, so nothing is dated in the future;
- the real clock is always given back, even when a scene fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import TracebackType

from django.utils import timezone


class ClockError(RuntimeError):
    """A scene asked for a moment the story may not use (backwards, or in the future)."""


class StoryClock:
    """Context manager: inside it, timezone.now() returns the moment last set with `set`."""

    def __init__(self) -> None:
        self._real: Callable[[], dt.datetime] | None = None
        self._moment: dt.datetime | None = None

    def __enter__(self) -> StoryClock:
        if isinstance(getattr(timezone.now, "__self__", None), StoryClock):
            raise ClockError("the story clock is already running")
        self._real = timezone.now
        timezone.now = self._now  # type: ignore[assignment]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._real is not None
        timezone.now = self._real  # type: ignore[assignment]
        self._real = None
        self._moment = None

    def real_now(self) -> dt.datetime:
        if self._real is None:
            return timezone.now()
        return self._real()

    def set(self, moment: dt.datetime) -> None:
        """Move the clock to `moment`: not before the last one, not after the real now."""
        if timezone.is_naive(moment):
            raise ClockError(f"naive moment {moment!r}")
        if self._moment is not None and moment < self._moment:
            raise ClockError(f"the story cannot go back from {self._moment} to {moment}")
        if moment > self.real_now():
            raise ClockError(f"the story cannot be told in the future ({moment})")
        self._moment = moment

    @property
    def moment(self) -> dt.datetime | None:
        return self._moment

    def _now(self) -> dt.datetime:
        if self._moment is not None:
            return self._moment
        return self.real_now()
