"""The Finance Department's own plan: the Director and his deputy assign to its divisions."""

from __future__ import annotations

from collections.abc import Iterator

from baro.demo.story.documents import (
    FINANCE_PLAN,
)
from baro.demo.story.plots.common import E, by_date, demo_pdf, this_period
from baro.demo.story.stage import At, Stage
from baro.work import services
from baro.work.models import (
    DeadlineRule,
    InputPosition,
)
from baro.work.models import QualityGrade as Q
from baro.workdays.calendar import PeriodKind

# the Finance Department's own plan: the Director and his deputy assign to its divisions


def monthly_disbursement(stage: Stage) -> Iterator[At]:
    yield At(-20, 10)
    stage.assign(
        "S1",
        actor="giamdoc.stc",
        assigning="HN-STC",
        lead="HN-STC-NS",
        directive=FINANCE_PLAN,
        group=2,
        officer=stage.person("chuyenvien.stc"),
        title="Tổng hợp, báo cáo tình hình giải ngân vốn đầu tư công hằng tháng",
        expected_output="Báo cáo tháng gửi UBND Thành phố, nêu rõ đơn vị giải ngân chậm.",
        **this_period(stage, PeriodKind.MONTH),
    )
    yield At(-19, 9)
    stage.accept("S1")
    yield At(-2, 15)
    stage.progress("S1", 60, "Đã tổng hợp số liệu giải ngân của 15 sở, 98 xã, phường.")


def stalled_private_projects(stage: Stage) -> Iterator[At]:
    yield At(-60, 10)
    stage.assign(
        "S2",
        actor="giamdoc.stc",
        assigning="HN-STC",
        lead="HN-STC-DT",
        directive=FINANCE_PLAN,
        group=2,
        title="Rà soát hồ sơ các dự án đầu tư ngoài ngân sách chậm tiến độ, đề xuất chấm dứt "
        "hoạt động dự án",
        expected_output="Danh mục dự án đề xuất chấm dứt, kèm căn cứ pháp lý.",
        **by_date(stage, 5),
    )
    yield At(-58, 9)
    stage.accept("S2")
    yield At(-30, 15)
    stage.progress("S2", 50, "Đã rà soát 38/74 dự án.")
    yield At(-2, 15)
    stage.submit("S2", "Trình danh mục 11 dự án đề xuất chấm dứt hoạt động.")


def commune_budget_guidance(stage: Stage) -> Iterator[At]:
    """Assigned by the Deputy Director, approved on time, graded excellent."""
    yield At(-45, 10)
    stage.assign(
        "S3",
        actor="phogiamdoc.stc",
        assigning="HN-STC",
        lead="HN-STC-NS",
        directive=FINANCE_PLAN,
        group=1,
        officer=stage.person("chuyenvien.stc"),
        title="Hướng dẫn các xã, phường lập, giao dự toán ngân sách theo mô hình chính quyền địa "
        "phương hai cấp",
        expected_output="Công văn hướng dẫn kèm biểu mẫu dự toán.",
        deadline_rule=DeadlineRule.WORKING_DAYS,
        deadline_days=15,
    )
    yield At(-44, 9)
    stage.accept("S3")
    yield At(-35, 15)
    stage.progress("S3", 50, "Đã dự thảo hướng dẫn, lấy ý kiến 5 xã, phường.")
    yield At(-30, 10)
    stage.submit("S3", "Trình dự thảo công văn hướng dẫn.")
    yield At(-28, 9)
    stage.approve("S3", Q.EXCELLENT, E.HIGH, "Hướng dẫn rõ, ban hành sớm hơn hạn.")


def incoming_mail_procedure(stage: Stage) -> Iterator[At]:
    """An extension request waiting for the Director."""
    yield At(-40, 10)
    stage.assign(
        "S4",
        actor="giamdoc.stc",
        assigning="HN-STC",
        lead="HN-STC-VP",
        directive=FINANCE_PLAN,
        group=1,
        title="Chuẩn hóa quy trình tiếp nhận, xử lý văn bản đến, bảo đảm không văn bản nào quá hạn",
        expected_output="Quy trình nội bộ được Giám đốc ban hành.",
        **by_date(stage, 3),
    )
    yield At(-39, 9)
    stage.accept("S4")
    yield At(-20, 15)
    stage.progress("S4", 40, "Đã dự thảo quy trình.")
    yield At(-4, 15)
    stage.progress("S4", 60, "Đã lấy ý kiến các phòng; chờ kết nối phần mềm.")
    yield At(-3, 10)
    stage.ask_extension(
        "S4", days=17, reason="Chờ kết nối phần mềm quản lý văn bản với Hệ thống theo dõi nhiệm vụ."
    )


def road_clearance_consultations(stage: Stage) -> Iterator[At]:
    """Around U8 (Tam Trinh road): the coordinators are asked for input (one answers with
    changes, one ward stays silent past its sub-deadline), the Department asks the Chairman for
    guidance on a matter that was its own to decide, splits off a subtask for its division (now
    overdue), and attaches the handover record to its report."""
    yield At(-100, 9)
    task = stage.task("U8")
    lead_side = stage.worker("U8")
    asked = services.input_request(
        actor=lead_side,
        task=task,
        unit=stage.unit("HN-SNNMT"),
        question="Đề nghị Sở cho ý kiến về đơn giá bồi thường cây trồng, vật kiến trúc áp dụng "
        "cho 126 hộ trong phạm vi dự án.",
    )
    services.input_request(
        actor=lead_side,
        task=task,
        unit=stage.unit("HN-P-VINHTUY"),
        question="Đề nghị phường cho ý kiến về kế hoạch vận động, thời điểm tổ chức cưỡng chế "
        "đối với các hộ chưa bàn giao mặt bằng.",
    )
    yield At(-66, 14)
    services.input_answer(
        actor=stage.head("HN-SNNMT"),
        input_request=asked,
        position=InputPosition.AGREE_WITH_CHANGES,
        answer="Thống nhất đơn giá; đề nghị bổ sung hỗ trợ di chuyển mồ mả theo Quyết định "
        "của UBND Thành phố.",
    )
    yield At(-50, 10)
    guidance = services.guidance_request(
        actor=stage.lead_head("U8"),
        task=stage.task("U8"),
        question="Xin ý kiến chỉ đạo về việc áp dụng đơn giá hỗ trợ di chuyển mồ mả cho các hộ "
        "có mồ mả trong phạm vi thu hồi.",
    )
    yield At(-47, 16)
    services.guidance_answer(
        actor=stage.person("chutich"),
        guidance=guidance,
        answer="Việc áp dụng đơn giá đã được quy định tại quyết định của UBND Thành phố; Sở Xây "
        "dựng chủ động thực hiện, không phải xin ý kiến.",
        within_unit_authority=True,
    )
    yield At(-40, 9)
    sub = services.subtask_assign(
        actor=stage.lead_head("U8"),
        parent=stage.task("U8"),
        title="Lập hồ sơ cưỡng chế thu hồi đất đối với 7 hộ chưa bàn giao mặt bằng",
        lead_unit=stage.unit("HN-SXD-GT"),
        deadline_rule=DeadlineRule.DATE,
        deadline=stage.due(-20),
        expected_output="Hồ sơ cưỡng chế trình UBND phường Vĩnh Tuy.",
    )
    stage.tasks["U8.1"] = sub.pk
    yield At(-39, 9)
    stage.accept("U8.1")
    yield At(-22, 15)
    stage.progress("U8.1", 60, "Đã lập xong hồ sơ 4/7 hộ.")
    yield At(-4, 15, 30)
    services.attachment_add(
        actor=stage.worker("U8"),
        task=stage.task("U8"),
        name="bien-ban-ban-giao-mat-bang-dot-3.pdf",
        content=demo_pdf("Bien ban ban giao mat bang dot 3 - duong Tam Trinh"),
    )
