"""Ledger events as people read them: a label for the action and the actor's name."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from baro.core.ids import id_from_text
from baro.ledger.models import LedgerEvent
from baro.org.models import Person
from baro.oversight.labels import OVERSIGHT_ACTIONS

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
    "workdays.override.set": _("Điều chỉnh lịch làm việc"),
    "workdays.override.removed": _("Bỏ điều chỉnh lịch làm việc"),
    "work.directive.registered": _("Vào sổ văn bản chỉ đạo"),
    "work.task.assigned": _("Giao nhiệm vụ"),
    "work.task.accepted": _("Tiếp nhận nhiệm vụ"),
    "work.task.refused": _("Từ chối nhiệm vụ, chuyển tranh chấp thẩm quyền"),
    "work.dispute.decided": _("Quyết định tranh chấp thẩm quyền"),
    "work.task.progress_reported": _("Báo cáo tiến độ"),
    "work.task.submitted": _("Trình kết quả"),
    "work.task.approved": _("Duyệt kết quả, đánh giá chất lượng, hiệu quả"),
    "work.task.returned": _("Trả lại kết quả để làm lại"),
    "work.task.cancelled": _("Hủy nhiệm vụ"),
    "work.extension.requested": _("Đề nghị gia hạn"),
    "work.extension.approved": _("Đồng ý gia hạn"),
    "work.extension.refused": _("Không đồng ý gia hạn"),
    "work.input.requested": _("Xin ý kiến đơn vị phối hợp"),
    "work.input.answered": _("Trả lời xin ý kiến phối hợp"),
    "work.input.marked_unclear": _("Đánh dấu ý kiến phối hợp chưa rõ quan điểm"),
    "work.guidance.requested": _("Xin ý kiến chỉ đạo cấp trên"),
    "work.guidance.answered": _("Trả lời xin ý kiến chỉ đạo"),
    "work.attachment.added": _("Đính kèm tệp"),
    "cascade.directive.sent": _("Gửi văn bản đến đơn vị để cụ thể hóa, triển khai"),
    "cascade.receipt.forwarded": _("Chuyển văn bản cho đơn vị trực thuộc"),
    "cascade.plan.issued": _("Ban hành kế hoạch thực hiện văn bản"),
    "cascade.deployment.recorded": _("Ghi nhận quán triệt, triển khai văn bản"),
    "cascade.acknowledgement.recorded": _("Xác nhận đã quán triệt"),
}
ACTION_LABELS.update(OVERSIGHT_ACTIONS)


def _person_id(ref: str) -> int | None:
    kind, _sep, value = ref.partition(":")
    return id_from_text(value) if kind == "person" else None


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
