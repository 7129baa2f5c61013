"""Words for the ledger actions of org, registered with the ledger when Django starts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
