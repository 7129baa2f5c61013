"""The story stays meaningful whenever the demo is loaded, even on awkward days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from baro.testing.story import the_story_keeps_its_promises

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "loaded_on",
    [
        # The Monday after Tết 2027: the last working days lie two weeks back.
        dt.datetime(2027, 2, 15, 8, 5, tzinfo=HANOI),
        # The last day of a quarter: period deadlines fall today, still within them.
        dt.datetime(2027, 3, 31, 16, 0, tzinfo=HANOI),
    ],
    ids=["after-tet", "quarter-end"],
)
def test_the_story_keeps_its_promises_on_awkward_days(loaded_on: dt.datetime) -> None:
    with time_machine.travel(loaded_on, tick=True):
        the_story_keeps_its_promises()
