"""guidance_within_authority: guidance asked on a matter within one's own authority, or asked
again.

A guidance request the superior answered as within the asking unit's own authority, or that
repeats a question already answered before it was asked again; task not cancelled.

Subject: the asking unit and the person who asked. Evidence: the request's (and the
original's) requested and answered events. One flag per guidance request.

No threshold: one such request is the sign.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.utils import timezone

from baro.core.timeutil import format_date
from baro.org.models import Person
from baro.oversight.detectors.common import (
    OBJ_GUIDANCE,
    T_GUIDANCE,
    T_TASK,
    Detector,
    People,
    batched,
    by_object,
    concat,
    ensure_evidence,
    id_text,
    load_events,
    load_tasks,
    no_flag,
    raise_flag,
    scan_rows,
    title_of,
)
from baro.oversight.models import FlagKind
from baro.oversight.services import EvidenceItem
from baro.work.models import GuidanceRequest, TaskStatus


def detect_guidance_within_authority(day: dt.date, *, actor: Person) -> int:
    """A guidance request answered as within the asking unit's authority, or repeating a
    question that was already answered when it was asked again."""
    key = concat("'guidance_within_authority:guidance:'", id_text('g."id"'))
    sql = (
        f'SELECT g."id" FROM "{T_GUIDANCE}" g '  # noqa: S608
        f'JOIN "{T_TASK}" t ON t."id" = g."task_id" '
        f'LEFT JOIN "{T_GUIDANCE}" o ON o."id" = g."repeat_of_id" '
        f'WHERE (g."within_unit_authority" = %s '
        f'OR (o."answered_at" IS NOT NULL AND o."answered_at" <= g."asked_at")) '
        f'AND t."status" <> %s AND {no_flag(key)}'
    )
    found = [row[0] for row in scan_rows(sql, [True, TaskStatus.CANCELLED.value])]
    if not found:
        return 0
    return batched(found, partial(_raise_guidance_within_authority, day=day, actor=actor))


def _raise_guidance_within_authority(found: list[Any], *, day: dt.date, actor: Person) -> int:
    requests = GuidanceRequest.objects.in_bulk(found)
    originals = GuidanceRequest.objects.in_bulk(
        [g.repeat_of_id for g in requests.values() if g.repeat_of_id is not None]
    )
    tasks = load_tasks(g.task_id for g in requests.values())
    people = People.load(
        day,
        [pk for g in requests.values() for pk in (g.asking_unit_id, g.superior_unit_id)],
        [g.asked_by_id for g in requests.values()],
    )
    events = by_object(
        load_events(
            OBJ_GUIDANCE,
            [*requests, *originals],
            ["work.guidance.requested", "work.guidance.answered"],
        )
    )
    raised = 0
    for guidance_id in found:
        guidance = requests[guidance_id]
        task = tasks[guidance.task_id]
        unit = people.units[guidance.asking_unit_id]
        superior = people.units[guidance.superior_unit_id]
        original = originals.get(guidance.repeat_of_id) if guidance.repeat_of_id else None
        repeated = (
            original is not None
            and original.answered_at is not None
            and original.answered_at <= guidance.asked_at
        )
        evidence: list[EvidenceItem] = []
        if repeated and original is not None:
            evidence += [
                EvidenceItem(
                    task_id=task.pk,
                    event_id=e.pk,
                    note="Lần hỏi trước" if e.action.endswith("requested") else "Đã trả lời",
                )
                for e in events.get(str(original.pk), [])
            ]
        evidence += [
            EvidenceItem(
                task_id=task.pk,
                event_id=e.pk,
                note="Xin ý kiến chỉ đạo"
                if e.action.endswith("requested")
                else (
                    "Trả lời: thuộc thẩm quyền của đơn vị"
                    if guidance.within_unit_authority
                    else "Trả lời"
                ),
            )
            for e in events.get(str(guidance.pk), [])
        ]
        reasons: list[str] = []
        if guidance.within_unit_authority:
            reasons.append(
                f"{superior.name} trả lời rằng nội dung xin ý kiến thuộc thẩm quyền của {unit.name}"
            )
        if repeated and original is not None and original.answered_at is not None:
            reasons.append(
                f"nội dung này đã được trả lời ngày "
                f"{format_date(timezone.localtime(original.answered_at).date())} mà vẫn hỏi lại"
            )
        asked = format_date(timezone.localtime(guidance.asked_at).date())
        summary = (
            f"{unit.name} xin ý kiến chỉ đạo {superior.name} ngày {asked} về nhiệm vụ "
            f"{title_of(task)}: " + "; ".join(reasons) + "."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.GUIDANCE_WITHIN_AUTHORITY,
            dedupe_key=f"guidance_within_authority:guidance:{guidance.pk}",
            unit=unit,
            person=people.person(guidance.asked_by_id),
            task=task,
            summary=summary,
            figures={
                "guidance_id": guidance.pk,
                "within_unit_authority": guidance.within_unit_authority,
                "repeat_of_id": guidance.repeat_of_id if repeated else None,
                "superior_unit_id": superior.pk,
            },
            evidence=ensure_evidence(evidence, task, "Xin ý kiến chỉ đạo"),
        )
    return raised


DETECTOR = Detector(
    "guidance_within_authority",
    detect_guidance_within_authority,
    (FlagKind.GUIDANCE_WITHIN_AUTHORITY,),
    "Xin ý kiến cấp trên về việc thuộc thẩm quyền của mình, hoặc hỏi lại việc đã được trả lời",
)
