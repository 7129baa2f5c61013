"""The 24-CT/TU story keeps its promises: every state, every timing cell, something for everyone
(the checks are in baro/testing/story.py); the story clock gives the real clock back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baro.core.timeutil import now, today
from baro.demo.story.clock import ClockError, StoryClock
from baro.testing.story import the_story_keeps_its_promises


@pytest.mark.django_db
def test_the_story_of_24_ct_tu_shows_every_screen_with_meaningful_data() -> None:
    the_story_keeps_its_promises()


# --------------------------------------------------------------------------------------------
# the clock


def test_the_story_clock_only_moves_forward_and_gives_the_real_clock_back() -> None:
    real = timezone.now
    past = timezone.now() - dt.timedelta(days=30)
    with StoryClock() as clock:
        clock.set(past)
        assert timezone.now() == past and now() == past
        assert today() == timezone.localtime(past).date()
        with pytest.raises(ClockError):
            clock.set(past - dt.timedelta(minutes=1))
        with pytest.raises(ClockError):
            clock.set(clock.real_now() + dt.timedelta(hours=1))
        with pytest.raises(ClockError), StoryClock():
            pass
        clock.set(past + dt.timedelta(days=1))
        assert timezone.now() == past + dt.timedelta(days=1)
    assert timezone.now is real
    assert abs(timezone.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_the_story_clock_gives_the_real_clock_back_when_a_scene_fails() -> None:
    real = timezone.now
    with pytest.raises(ZeroDivisionError), StoryClock() as clock:
        clock.set(timezone.now() - dt.timedelta(days=1))
        _ = 1 / 0
    assert timezone.now is real
