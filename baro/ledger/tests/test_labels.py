"""Every ledger action a command records has its label on the history pages: each area
registers the labels of its own actions (AppConfig.ready()), and none is forgotten."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from baro.ledger.labels import action_label, register_labels, registered_actions
from baro.oversight.models import AUTOMATIC_STEPS

PACKAGE = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"')


def recorded_actions() -> set[str]:
    """The actions named literally where commands record their event, plus the ladder's steps
    (recorded as f"oversight.ladder.{step}")."""
    found = {f"oversight.ladder.{step}" for step in AUTOMATIC_STEPS}
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "testing" in path.parts:
            continue
        found |= set(RECORDED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_recorded_action_has_a_label() -> None:
    actions = recorded_actions()
    assert len(actions) > 50  # the scan finds the commands' actions
    unlabelled = sorted(action for action in actions if not action_label(action))
    assert not unlabelled, f"ledger actions without a label: {unlabelled}"


def test_an_action_is_labelled_by_one_area_only() -> None:
    taken = next(iter(registered_actions()))
    with pytest.raises(ValueError, match="already labelled"):
        register_labels({taken: "Nhãn thứ hai"})
    assert action_label("khong.co.that") == ""
