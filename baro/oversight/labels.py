"""Words for the ledger actions of oversight, registered with the ledger when Django starts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    "oversight.ladder.configured": gettext_lazy("Đặt thang đôn đốc"),
    "oversight.ladder.remind": gettext_lazy("Nhắc trước hạn"),
    "oversight.ladder.urge": gettext_lazy("Đôn đốc khi đến hạn"),
    "oversight.ladder.escalate_head": gettext_lazy("Báo người đứng đầu đơn vị chủ trì"),
    "oversight.ladder.escalate_assigner_head": gettext_lazy("Báo người đứng đầu đơn vị giao việc"),
    "oversight.ladder.inspection_flag": gettext_lazy("Đưa vào diện kiểm tra"),
    "oversight.ladder.dispute_urge": gettext_lazy("Đôn đốc quyết định tranh chấp quá hạn"),
    "oversight.ladder.dispute_escalate": gettext_lazy(
        "Báo cấp trên của người quyết định tranh chấp"
    ),
    "oversight.task.urged": gettext_lazy("Lãnh đạo đôn đốc nhiệm vụ"),
    "oversight.letter.issued": gettext_lazy("Ban hành công văn đôn đốc"),
    "oversight.flag.raised": gettext_lazy("Phát hiện dấu hiệu né tránh"),
    "oversight.flag.confirmed": gettext_lazy("Xác nhận dấu hiệu né tránh"),
    "oversight.flag.dismissed": gettext_lazy("Bác bỏ dấu hiệu né tránh"),
    "oversight.inspection.opened": gettext_lazy("Lập kế hoạch kiểm tra"),
    "oversight.inspection.evidence_added": gettext_lazy("Bổ sung chứng cứ kiểm tra"),
    "oversight.inspection.findings_recorded": gettext_lazy("Ghi kết quả kiểm tra"),
    "oversight.inspection.concluded": gettext_lazy("Kết luận kiểm tra"),
    "oversight.handling.decided": gettext_lazy("Quyết định xử lý"),
}
