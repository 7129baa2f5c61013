"""24-CT/TU: the tasks the Secretary gives, through the city or the Party Committee."""

from __future__ import annotations

from collections.abc import Iterator

from baro.demo.story.documents import (
    CITY_PLAN_NUMBER,
    D24,
)
from baro.demo.story.plots.common import E, by_date, this_period
from baro.demo.story.stage import At, Stage
from baro.work.models import (
    DeadlineRule,
    Priority,
)
from baro.work.models import QualityGrade as Q
from baro.workdays.calendar import PeriodKind

# 24-CT/TU: tasks the Secretary gives (through the city, or the Party Committee)


def city_plan_ordered(stage: Stage) -> Iterator[At]:
    """The People's Committee issues its plan on time: completed, graded excellent."""
    yield At(-150, 9)
    stage.assign(
        "B1",
        actor="bithu",
        assigning="HN",
        lead="HN-UBND",
        directive=D24,
        group=1,
        officer=stage.officer("HN-VPUB-TH"),
        title="Ban hành kế hoạch của UBND Thành phố thực hiện Chỉ thị số 24-CT/TU",
        description="Cụ thể hóa từng nội dung của Chỉ thị thành nhiệm vụ giao các sở, ngành, "
        "xã, phường; mỗi nhiệm vụ một đơn vị chủ trì, có sản phẩm và thời hạn.",
        expected_output="Kế hoạch của UBND Thành phố, kèm danh mục nhiệm vụ giao từng đơn vị.",
        quality_criteria="Không giao trùng nhiệm vụ cho hai đơn vị chủ trì; thời hạn cụ thể.",
        priority=Priority.URGENT,
        deadline_rule=DeadlineRule.WORKING_DAYS,
        deadline_days=10,
    )
    yield At(-149, 8, 30)
    stage.accept("B1")
    yield At(-147, 15)
    stage.progress(
        "B1", 60, "Văn phòng UBND Thành phố đã dự thảo kế hoạch, xin ý kiến các sở, ngành."
    )
    yield At(-144, 10)
    stage.submit("B1", f"Kế hoạch số {CITY_PLAN_NUMBER} đã được Chủ tịch ký ban hành.")
    yield At(-143, 9)
    stage.approve(
        "B1", Q.EXCELLENT, E.HIGH, "Ban hành đúng hạn, nhiệm vụ phân công rõ, không chồng chéo."
    )


def head_responsibility_rule(stage: Stage) -> Iterator[At]:
    """Bounced by the Party's Organisation Board to the Home Affairs Department: open, for the
    Secretary (head of the city, their lowest common superior) to decide."""
    yield At(-20, 9)
    stage.assign(
        "B2",
        actor="bithu",
        assigning="HN",
        lead="HN-TU-BTC",
        directive=D24,
        group=2,
        title="Rà soát, sửa đổi quy định về xử lý trách nhiệm người đứng đầu khi để xảy ra chậm "
        "trễ, né tránh, đùn đẩy trong giải quyết công việc",
        expected_output="Dự thảo quy định sửa đổi, trình Ban Thường vụ Thành ủy.",
        priority=Priority.HIGH,
        is_new_difficult=True,
        **by_date(stage, 40),
    )
    yield At(-1, 10)
    stage.refuse(
        "B2",
        proposed="HN-SNV",
        reason="Việc đánh giá, xếp loại và xử lý trách nhiệm công chức, viên chức thuộc chức "
        "năng tham mưu của Sở Nội vụ (Nghị định 335/2025/NĐ-CP); Ban Tổ chức Thành ủy chỉ tham "
        "mưu đối với cán bộ thuộc diện Ban Thường vụ Thành ủy quản lý.",
    )


def inspection_of_heads(stage: Stage) -> Iterator[At]:
    """The Inspection Committee inspects, officer `kiemtra`: in progress within the quarter."""
    yield At(-100, 9)
    stage.assign(
        "B3",
        actor="bithu",
        assigning="HN-TU",
        lead="HN-TU-UBKT",
        directive=D24,
        group=3,
        officer=stage.person("kiemtra"),
        title="Kiểm tra việc thực hiện Chỉ thị số 24-CT/TU tại 5 sở và 10 xã, phường; làm rõ "
        "trách nhiệm người đứng đầu nơi có nhiệm vụ quá hạn kéo dài",
        expected_output="Thông báo kết luận kiểm tra đối với từng đơn vị.",
        priority=Priority.HIGH,
        **this_period(stage, PeriodKind.QUARTER),
    )
    yield At(-98, 10)
    stage.accept("B3")
    yield At(-70, 14)
    stage.progress("B3", 30, "Đã ban hành quyết định kiểm tra, thành lập 02 đoàn kiểm tra.")
    yield At(-30, 14)
    stage.progress(
        "B3",
        60,
        "Đã kiểm tra 3 sở, 6 phường; phát hiện 41 nhiệm vụ quá hạn chưa cập nhật tiến độ.",
    )
    yield At(-4, 16)
    stage.progress("B3", 75, "Đang dự thảo thông báo kết luận; đã làm việc với 2 người đứng đầu.")


def half_year_review(stage: Stage) -> Iterator[At]:
    """The city's half-year review of the directive: submitted, waiting for the Secretary."""
    yield At(-40, 9)
    stage.assign(
        "B4",
        actor="bithu",
        assigning="HN",
        lead="HN-UBND",
        directive=D24,
        group=3,
        officer=stage.officer("HN-VPUB-TH"),
        title="Báo cáo sơ kết 6 tháng thực hiện Chỉ thị số 24-CT/TU trong khối chính quyền",
        expected_output="Báo cáo sơ kết kèm phụ lục số liệu nhiệm vụ quá hạn, gia hạn, từ chối "
        "theo từng đơn vị; phân tích rõ nguyên nhân chủ quan, khách quan.",
        deadline_rule=DeadlineRule.CALENDAR_DAYS,
        deadline_days=45,
        coordinators=(
            ("HN-SNV", "Số liệu đánh giá, xếp loại công chức theo tháng", -15),
            ("HN-TTTP", "Kết quả thanh tra công vụ, xử lý trách nhiệm", -15),
        ),
    )
    yield At(-39, 9)
    stage.accept("B4")
    yield At(-20, 15)
    stage.progress("B4", 50, "Đã tổng hợp số liệu của 15 sở; còn 6 xã chưa gửi báo cáo.")
    yield At(-3, 16)
    stage.submit("B4", "Trình Thường trực Thành ủy báo cáo sơ kết và phụ lục số liệu.")


def front_supervision(stage: Stage) -> Iterator[At]:
    """The Fatherland Front supervises officials' conduct, officer `mttq`."""
    yield At(-25, 9)
    stage.assign(
        "B5",
        actor="bithu",
        assigning="HN",
        lead="HN-MTTQ",
        directive=D24,
        group=3,
        officer=stage.person("mttq"),
        title="Giám sát việc giải quyết phản ánh, kiến nghị của Nhân dân về cán bộ, công chức có "
        "biểu hiện né tránh, đùn đẩy, gây phiền hà",
        expected_output="Báo cáo kết quả giám sát và kiến nghị gửi các đơn vị liên quan.",
        deadline_rule=DeadlineRule.CALENDAR_DAYS,
        deadline_days=60,
    )
    yield At(-24, 10)
    stage.accept("B5")
    yield At(-4, 15)
    stage.progress(
        "B5", 30, "Đã tiếp nhận 27 phản ánh qua iHanoi và đường dây nóng; giám sát 4 vụ."
    )


# --------------------------------------------------------------------------------------------
