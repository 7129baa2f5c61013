"""What the oversight tests' modules share: the frozen clock's day, the `ov` world's type and
the flag and inspection every page and API test starts from. The fixtures (`clock`, `inspector`,
`ov`) are in baro/oversight/tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from baro.ledger.models import LedgerEvent
from baro.org.models import Person, system_person
from baro.oversight import services
from baro.oversight.models import Flag, FlagKind, Inspection
from baro.oversight.services import EvidenceItem
from baro.testing.org import World
from baro.work.models import Directive, Task

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.date(2026, 2, 2)  # Monday, two weeks before Tết Bính Ngọ (17/02/2026)
DEADLINE = dt.date(2026, 2, 12)  # the `ov` task's
AFTER = dt.date(2026, 3, 3)  # urged, the lead's head and the assigner's head told


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HANOI)


@dataclass
class Ov:
    w: World
    boss: Person
    head_b: Person
    inspector: Person
    task: Task
    directive: Directive

    def __getattr__(self, name: str) -> Any:
        return getattr(self.w, name)


def raise_flag(ov: Ov, *, key: str = "test:1", kind: str = FlagKind.BOUNCED) -> Flag:
    assigned = LedgerEvent.objects.get(action="work.task.assigned", object_id=str(ov.task.pk))
    flag = services.flag_raise(
        actor=system_person(),
        kind=kind,
        dedupe_key=key,
        unit=ov.dept_a,
        person=ov.head,
        task=ov.task,
        summary="Nhiệm vụ bị từ chối, chuyển qua lại 3 lần giữa các sở.",
        figures={"bounces": 3, "deadline": DEADLINE.isoformat()},
        evidence=[
            EvidenceItem(task_id=ov.task.pk, note="Nhiệm vụ bị đẩy"),
            EvidenceItem(event_id=assigned.pk, note="Lần giao"),
        ],
    )
    assert flag is not None
    return flag


def open_inspection(ov: Ov, **kw: Any) -> Inspection:
    return services.inspection_open(
        actor=ov.inspector,
        target_unit=kw.pop("unit", ov.dept_a),
        target_person=kw.pop("person", ov.head),
        title=kw.pop("title", "Kiểm tra trách nhiệm người đứng đầu Sở A"),
        period_from=dt.date(2026, 1, 1),
        period_to=dt.date(2026, 2, 1),
    )


def conclude(inspector: Person, inspection: Inspection) -> Inspection:
    """Record findings and conclude `inspection`: a handling decision follows a conclusion."""
    services.inspection_record_findings(
        actor=inspector, inspection=inspection, findings="Nhiệm vụ quá hạn, không báo cáo."
    )
    return services.inspection_conclude(
        actor=inspector, inspection=inspection, conclusion="Người đứng đầu chịu trách nhiệm."
    )
