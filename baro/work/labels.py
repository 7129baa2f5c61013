"""Words for the ledger actions of work, registered with the ledger when Django starts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "work.directive.registered": _("Vào sổ văn bản chỉ đạo"),
    "work.task.assigned": _("Giao nhiệm vụ"),
    "work.assignment_line.set": _("Điều chỉnh tuyến giao nhiệm vụ"),
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
}
