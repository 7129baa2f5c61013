"""The story's documents: 24-CT/TU, the city's plan and the Finance Department's plan."""

from __future__ import annotations

from collections.abc import Iterator

from baro.core.timeutil import format_date
from baro.demo.story.documents import (
    CITY_PLAN,
    CITY_PLAN_NUMBER,
    D24,
    FINANCE_PLAN,
    FINANCE_PLAN_NUMBER,
)
from baro.demo.story.stage import At, Stage
from baro.work.models import (
    DirectiveKind,
)

# the documents


def documents(stage: Stage) -> Iterator[At]:
    yield At(-150, 7, 30)
    secretary = stage.person("bithu")
    signed = stage.day(-150)
    # The Party Committee has no secretariat position holding directive.register over it in
    # the demo city (its Office's clerk acts for the Office only), so the Secretary, who holds
    # directive.issue, enters his own directive.
    stage.register(
        D24,
        actor=secretary,
        number_symbol=D24,
        kind=DirectiveKind.DIRECTIVE,
        issuing_unit=stage.unit("HN-TU"),
        signer=secretary,
        signed_on=signed,
        title=(
            "Về tăng cường kỷ luật, kỷ cương, trách nhiệm trong giải quyết công việc của hệ "
            "thống chính trị Thành phố"
        ),
        summary=(
            "Ban Thường vụ Thành ủy yêu cầu các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ "
            "quốc và các đoàn thể thực hiện phương châm “3 rõ”: rõ quy trình giải quyết, tiến độ, "
            "chất lượng, hiệu quả công việc; rõ thẩm quyền, trách nhiệm; rõ kết quả kiểm tra, "
            "đôn đốc, xử lý trách nhiệm người đứng đầu. Phân công rõ ràng, không chồng chéo; "
            "tập trung giải quyết việc mới, việc khó, tồn đọng kéo dài; người đứng đầu gương "
            "mẫu; phát huy vai trò giám sát của Mặt trận và Nhân dân. Các đơn vị ban hành kế "
            "hoạch thực hiện trong 07 ngày và quán triệt đến từng đảng viên trong 14 ngày."
        ),
        requires_cascade=True,
        plan_days=7,
        deploy_days=14,
        groups=[
            "I. Rõ quy trình giải quyết, tiến độ, chất lượng, hiệu quả công việc",
            "II. Rõ thẩm quyền, trách nhiệm của tập thể, cá nhân",
            "III. Rõ kết quả kiểm tra, đôn đốc, xử lý trách nhiệm người đứng đầu",
        ],
    )
    # 24-CT/TU then goes to the People's Committee, the departments, wards and communes, and
    # each receiving unit's plan, deployment and members' acknowledgements follow as scenes of
    # their own (story/cascade.py), played in the same `direct` call so the ledger stays in
    # time order (story/__init__.py puts every plot together).

    yield At(-144, 7, 30)
    chairman = stage.person("chutich")
    directive = stage.directive(D24)
    stage.register(
        CITY_PLAN,
        actor=chairman,
        number_symbol=CITY_PLAN_NUMBER,
        kind=DirectiveKind.PLAN,
        issuing_unit=stage.unit("HN-UBND"),
        signer=chairman,
        signed_on=stage.day(-144),
        title=(
            f"Thực hiện Chỉ thị số {D24} ngày {format_date(directive.signed_on)} của Ban "
            "Thường vụ Thành ủy về tăng cường kỷ luật, kỷ cương, trách nhiệm trong giải quyết "
            "công việc"
        ),
        summary=(
            "Cụ thể hóa Chỉ thị thành nhiệm vụ có một đơn vị chủ trì, đơn vị phối hợp, sản phẩm "
            "và thời hạn rõ ràng; theo dõi, đôn đốc trên Hệ thống theo dõi nhiệm vụ; đơn vị "
            "chậm tiến độ phải báo cáo rõ nguyên nhân và trách nhiệm người đứng đầu."
        ),
        requires_cascade=True,
        groups=[
            "1. Cải cách thủ tục hành chính, nâng cao chất lượng phục vụ người dân, doanh nghiệp",
            "2. Giải quyết tồn đọng, kéo dài; khiếu nại, tố cáo, phản ánh, kiến nghị của công dân",
            "3. Giải phóng mặt bằng, tháo gỡ vướng mắc các dự án",
            "4. Chuyển đổi số, chế độ báo cáo và theo dõi nhiệm vụ",
            "5. Kỷ luật, kỷ cương công vụ; trách nhiệm người đứng đầu",
        ],
    )

    yield At(-138, 7, 30)
    stage.register(
        FINANCE_PLAN,
        actor=stage.person("vanthu.stc"),  # the Department's clerk enters it (directive.register)
        number_symbol=FINANCE_PLAN_NUMBER,
        kind=DirectiveKind.PLAN,
        issuing_unit=stage.unit("HN-STC"),
        signer=stage.person("giamdoc.stc"),
        signed_on=stage.day(-139),
        title=(
            f"Triển khai Kế hoạch số {CITY_PLAN_NUMBER} của UBND Thành phố thực hiện Chỉ thị số "
            f"{D24} tại Sở Tài chính"
        ),
        groups=[
            "1. Kỷ luật, kỷ cương trong tham mưu tài chính - ngân sách",
            "2. Giải ngân vốn đầu tư công, tháo gỡ vướng mắc dự án",
        ],
    )


# --------------------------------------------------------------------------------------------
