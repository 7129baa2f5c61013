"""What the ledger page shows for an event's object: "Nhiệm vụ #33 — Rà soát quy hoạch", not
"work.task:33".

The ledger stores object types as stable codes and knows no domain; the page shell sits above
every area, so the words and the rows behind each code are gathered here. A code missing from
the table still shows, as itself (the page never fails on an object type it does not know).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baro.cascade.models import DirectiveReceipt
from baro.core.ids import id_from_text
from baro.ledger.models import LedgerEvent
from baro.org.models import ApiToken, Delegation, Person, Position, Unit
from baro.oversight.models import Flag, Inspection, UrgingLetter
from baro.work.models import (
    Attachment,
    Directive,
    Dispute,
    Extension,
    GuidanceRequest,
    InputRequest,
    Task,
)
from baro.workdays.models import CalendarOverride


@dataclass(frozen=True)
class ObjectKind:
    """One object type: its Vietnamese label and, where a row names it, how."""

    label: str | Promise
    model: type[Model] | None = None
    name: Callable[[Any], str] = str
    related: tuple[str, ...] = ()


def _task_title(row: Any) -> str:
    return str(row.task.title)


KINDS: dict[str, ObjectKind] = {
    "org.unit": ObjectKind(_("Đơn vị"), Unit),
    "org.person": ObjectKind(_("Cán bộ"), Person),
    "org.position": ObjectKind(
        _("Chức vụ"),
        Position,
        lambda p: f"{p.person.full_name} — {p.title or p.get_role_display()}, {p.unit.name}",
        ("person", "unit"),
    ),
    "org.delegation": ObjectKind(
        _("Ủy quyền"),
        Delegation,
        lambda d: f"{d.delegator.full_name} → {d.delegate.full_name}",
        ("delegator", "delegate"),
    ),
    "org.api_token": ObjectKind(_("Khóa truy cập API"), ApiToken, lambda t: str(t.name)),
    "org.import": ObjectKind(_("Lượt nhập danh sách")),
    "work.directive": ObjectKind(_("Văn bản chỉ đạo"), Directive),
    "work.task": ObjectKind(_("Nhiệm vụ"), Task),
    "work.dispute": ObjectKind(_("Tranh chấp thẩm quyền"), Dispute, _task_title, ("task",)),
    "work.extension": ObjectKind(_("Gia hạn"), Extension, _task_title, ("task",)),
    "work.input_request": ObjectKind(
        _("Xin ý kiến đơn vị phối hợp"), InputRequest, _task_title, ("task",)
    ),
    "work.guidance_request": ObjectKind(
        _("Xin ý kiến chỉ đạo"), GuidanceRequest, _task_title, ("task",)
    ),
    "work.attachment": ObjectKind(_("Tệp đính kèm"), Attachment),
    "oversight.ladder": ObjectKind(_("Cấu hình đôn đốc")),
    "oversight.letter": ObjectKind(_("Công văn đôn đốc"), UrgingLetter),
    "oversight.flag": ObjectKind(_("Dấu hiệu né tránh, đùn đẩy"), Flag, related=("unit",)),
    "oversight.inspection": ObjectKind(_("Cuộc kiểm tra"), Inspection),
    "cascade.receipt": ObjectKind(
        _("Triển khai văn bản tại đơn vị"), DirectiveReceipt, related=("directive", "unit")
    ),
    # An endpoint's URL may carry a secret, and a delivery has no name: the label only.
    "notify.webhook": ObjectKind(_("Điểm nhận webhook")),
    "notify.delivery": ObjectKind(_("Lượt gửi thông báo")),
    "workdays.override": ObjectKind(_("Điều chỉnh lịch làm việc"), CalendarOverride),
}


def object_type_label(object_type: str) -> str | Promise:
    kind = KINDS.get(object_type)
    return kind.label if kind else object_type


def object_type_choices() -> list[tuple[str, str | Promise]]:
    """(code, label) of every object type, by label: the page's filter offers these."""
    return sorted(((code, kind.label) for code, kind in KINDS.items()), key=lambda c: str(c[1]))


def _names(object_type: str, ids: set[str]) -> dict[str, str]:
    kind = KINDS.get(object_type)
    if kind is None or kind.model is None:
        return {}
    keys = {pk for pk in (id_from_text(value) for value in ids) if pk is not None}
    rows = kind.model._default_manager.filter(pk__in=keys).select_related(*kind.related)
    return {str(row.pk): kind.name(row) for row in rows}


def with_object_names(events: Iterable[LedgerEvent]) -> list[LedgerEvent]:
    """Give each event `object_label` ("Nhiệm vụ #33") and `object_name` (its title, or "" when
    the row is gone or names nothing): one query per object type on the page."""
    rows = list(events)
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in rows:
        wanted[event.object_type].add(event.object_id)
    names = {object_type: _names(object_type, ids) for object_type, ids in wanted.items()}
    for event in rows:
        label = object_type_label(event.object_type)
        event.object_label = f"{label} #{event.object_id}"  # type: ignore[attr-defined]
        event.object_name = names[event.object_type].get(event.object_id, "")  # type: ignore[attr-defined]
    return rows
