"""Ledger events as people read them: a label for the action and the actor's name."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from baro.ledger.models import LedgerEvent
from baro.org.models import Person

ACTION_LABELS = {
    "org.installation.bootstrapped": _("Khởi tạo hệ thống: đơn vị gốc và quản trị viên"),
    "org.unit.created": _("Thêm đơn vị"),
    "org.unit.updated": _("Sửa thông tin đơn vị"),
    "org.unit.moved": _("Chuyển đơn vị sang cấp trên khác"),
    "org.unit.closed": _("Giải thể, sáp nhập đơn vị"),
    "org.unit.merged": _("Hợp nhất đơn vị"),
    "org.unit.head_replaced": _("Bổ nhiệm, thay người đứng đầu"),
    "org.person.created": _("Thêm cán bộ"),
    "org.person.updated": _("Sửa thông tin cán bộ"),
    "org.position.appointed": _("Bổ nhiệm chức vụ"),
    "org.position.ended": _("Thôi giữ chức vụ"),
    "org.delegation.granted": _("Giao ủy quyền"),
    "org.delegation.revoked": _("Thu hồi ủy quyền"),
    "org.api_token.issued": _("Cấp mã truy cập API"),
    "org.api_token.revoked": _("Thu hồi mã truy cập API"),
    "org.import.completed": _("Nhập cơ cấu tổ chức từ tệp"),
}


def _person_id(ref: str) -> int | None:
    kind, _sep, value = ref.partition(":")
    return int(value) if kind == "person" and value.isdigit() else None


def readable(events: Iterable[LedgerEvent]) -> list[LedgerEvent]:
    """Give each event `action_label`, `actor_name` and `on_behalf_name` (one query in all)."""
    rows = list(events)
    ids = {
        pk
        for event in rows
        for pk in (_person_id(event.actor), _person_id(event.on_behalf_of))
        if pk is not None
    }
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    for event in rows:
        event.action_label = ACTION_LABELS.get(event.action, "")  # type: ignore[attr-defined]
        actor_id = _person_id(event.actor)
        event.actor_name = (  # type: ignore[attr-defined]
            names.get(actor_id, event.actor) if actor_id else _("Hệ thống Baro")
        )
        behalf_id = _person_id(event.on_behalf_of)
        event.on_behalf_name = names.get(behalf_id, event.on_behalf_of) if behalf_id else ""  # type: ignore[attr-defined]
    return rows
