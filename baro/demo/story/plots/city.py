"""The city's plan: tasks the Chairman and the Vice-Chairman give departments and communes."""

from __future__ import annotations

from collections.abc import Iterator

from baro.demo.story.documents import (
    CITY_PLAN,
)
from baro.demo.story.plots.common import E, by_date, this_period
from baro.demo.story.stage import At, Stage
from baro.work.models import (
    DeadlineRule,
    Priority,
)
from baro.work.models import QualityGrade as Q
from baro.workdays.calendar import PeriodKind

# the city's plan: tasks the Chairman and the Vice-Chairman give departments and communes


def internal_procedures(stage: Stage) -> Iterator[At]:
    yield At(-140, 9)
    stage.assign(
        "U1",
        actor="phochutich",
        assigning="HN-UBND",
        lead="HN-VPUB",
        directive=CITY_PLAN,
        group=1,
        officer=stage.officer("HN-VPUB-KSTT"),
        title="Rà soát, cắt giảm tối thiểu 20% thời gian giải quyết thủ tục hành chính nội bộ "
        "giữa các cơ quan hành chính Thành phố",
        expected_output="Quyết định công bố danh mục và quy trình nội bộ đã cắt giảm.",
        quality_criteria="Mỗi quy trình ghi rõ bước, đơn vị, thời hạn từng bước.",
        coordinators=(
            ("HN-STP", "Thẩm định tính hợp pháp của phương án cắt giảm", -110),
            ("HN-SNV", "Rà soát quy trình nội bộ về tổ chức, công vụ", -110),
        ),
        **by_date(stage, -80),
    )
    yield At(-138, 9)
    stage.accept("U1")
    yield At(-120, 15)
    stage.progress("U1", 40, "Đã rà soát 212 quy trình nội bộ của 15 sở.")
    yield At(-100, 15)
    stage.progress("U1", 80, "Dự thảo phương án cắt giảm 24% thời gian; đã có ý kiến Sở Tư pháp.")
    yield At(-88, 10)
    stage.submit("U1", "Trình dự thảo Quyết định công bố kèm 212 quy trình.")
    yield At(-86, 9)
    stage.approve("U1", Q.GOOD, E.EFFECTIVE)


def outdated_regulations(stage: Stage) -> Iterator[At]:
    """Completed three weeks late: graded 'satisfactory', low effectiveness."""
    yield At(-140, 10)
    stage.assign(
        "U2",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-STP",
        directive=CITY_PLAN,
        group=1,
        officer=stage.officer("HN-STP-VB"),
        title="Rà soát, đề xuất bãi bỏ văn bản quy phạm pháp luật của Thành phố quy định thủ "
        "tục hành chính không còn phù hợp",
        expected_output="Danh mục văn bản đề nghị bãi bỏ, sửa đổi; dự thảo quyết định.",
        deadline_rule=DeadlineRule.WORKING_DAYS,
        deadline_days=20,
    )
    yield At(-139, 9)
    stage.accept("U2")
    yield At(-125, 15)
    stage.progress("U2", 30, "Đã rà soát 86 văn bản.")
    yield At(-110, 15)
    stage.progress(
        "U2",
        70,
        "Đã xác định 14 văn bản cần bãi bỏ.",
        blocker="Cần ý kiến thống nhất của các sở chuyên ngành đối với 5 văn bản.",
    )
    yield At(-92, 10)
    stage.submit("U2", "Trình danh mục 14 văn bản đề nghị bãi bỏ.")
    yield At(-90, 9)
    stage.approve(
        "U2",
        Q.SATISFACTORY,
        E.LOW,
        "Hoàn thành chậm khoảng 3 tuần so với hạn; đề nghị Sở rút kinh nghiệm, nêu rõ nguyên nhân.",
    )


def one_stop_anywhere(stage: Stage) -> Iterator[At]:
    """Waiting for Hoàn Kiếm ward to accept it for a month: not accepted, not updated."""
    yield At(-30, 9)
    stage.assign(
        "U3",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-P-HOANKIEM",
        directive=CITY_PLAN,
        group=1,
        title="Triển khai tiếp nhận, trả kết quả thủ tục hành chính không phụ thuộc địa giới hành "
        "chính tại Trung tâm phục vụ hành chính công phường",
        expected_output="Ít nhất 90% hồ sơ được tiếp nhận không phụ thuộc địa giới hành chính.",
        coordinators=(("HN-SKHCN", "Kết nối hệ thống một cửa điện tử với Cổng dịch vụ công", 20),),
        **by_date(stage, 45),
    )


def long_complaints(stage: Stage) -> Iterator[At]:
    """Extended three times, each approved: in progress within its last deadline."""
    yield At(-130, 9)
    stage.assign(
        "U4",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-TTTP",
        directive=CITY_PLAN,
        group=2,
        officer=stage.officer("HN-TTTP-TCD"),
        title="Giải quyết dứt điểm 12 vụ khiếu nại đông người, phức tạp, kéo dài về đất đai",
        expected_output="Quyết định giải quyết khiếu nại hoặc văn bản chấm dứt thụ lý từng vụ.",
        priority=Priority.HIGH,
        is_new_difficult=True,
        coordinators=(
            ("HN-SNNMT", "Cung cấp hồ sơ địa chính, nguồn gốc đất của từng vụ việc", -100),
            ("HN-X-DONGANH", "Tổ chức đối thoại với công dân tại địa phương", -90),
        ),
        **by_date(stage, -20),
    )
    yield At(-128, 9)
    stage.accept("U4")
    yield At(-110, 15)
    stage.progress("U4", 20, "Đã giải quyết dứt điểm 2/12 vụ.")
    yield At(-90, 15)
    stage.progress(
        "U4",
        40,
        "Đã giải quyết 5/12 vụ.",
        blocker="3 vụ liên quan đất nông nghiệp giao trước năm 1993 cần ý kiến của Bộ Nông "
        "nghiệp và Môi trường.",
    )
    yield At(-70, 15)
    stage.progress("U4", 55, "Đã giải quyết 7/12 vụ; đã có văn bản xin ý kiến Bộ.")
    yield At(-40, 10)
    stage.ask_extension(
        "U4", days=-5, reason="Chờ ý kiến của Bộ Nông nghiệp và Môi trường đối với 3 vụ việc."
    )
    yield At(-38, 9)
    stage.decide_extension("U4", approve=True, note="Đồng ý gia hạn lần 1.")
    yield At(-12, 10)
    stage.progress("U4", 70, "Đã giải quyết 9/12 vụ.")
    stage.ask_extension(
        "U4", days=10, reason="Công dân ở 3 vụ còn lại đề nghị đối thoại lại sau khi có ý kiến Bộ."
    )
    yield At(-11, 9)
    stage.decide_extension("U4", approve=True, note="Đồng ý gia hạn lần 2.")
    yield At(-6, 10)
    stage.ask_extension(
        "U4",
        days=35,
        reason="2 vụ việc công dân tiếp tục gửi đơn lên Trung ương; cần thêm thời gian đối thoại.",
    )
    yield At(-5, 9)
    stage.decide_extension(
        "U4",
        approve=True,
        note="Đồng ý gia hạn lần cuối; nếu tiếp tục quá hạn sẽ kiểm điểm trách nhiệm người đứng "
        "đầu.",
    )
    yield At(-2, 15)
    stage.progress("U4", 80, "Đã đối thoại lần 2 với công dân của 2 vụ còn lại.")


def citizen_reception(stage: Stage) -> Iterator[At]:
    """A monthly duty with a period deadline ("trong tháng")."""
    yield At(-20, 9)
    stage.assign(
        "U5",
        actor="phochutich",
        assigning="HN-UBND",
        lead="HN-P-CUANAM",
        directive=CITY_PLAN,
        group=2,
        title="Người đứng đầu tiếp công dân định kỳ; công khai lịch tiếp và kết quả giải quyết "
        "kiến nghị hằng tháng",
        expected_output="Lịch tiếp công dân, biên bản tiếp và thông báo kết quả được công khai.",
        **this_period(stage, PeriodKind.MONTH),
    )
    yield At(-18, 9)
    stage.accept("U5")
    yield At(-3, 15)
    stage.progress("U5", 50, "Đã tiếp công dân 2 buổi; tiếp nhận 11 kiến nghị, đã trả lời 6.")


def land_certificates_backlog(stage: Stage) -> Iterator[At]:
    """Overdue and silent for weeks ("chưa cập nhật"); its extension was refused."""
    yield At(-120, 9)
    stage.assign(
        "U6",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-X-DONGANH",
        directive=CITY_PLAN,
        group=2,
        officer=stage.officer("HN-X-DONGANH"),
        title="Xử lý dứt điểm 1.260 hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất tồn đọng",
        expected_output="Giấy chứng nhận được cấp hoặc văn bản trả lời lý do chưa cấp cho từng hồ "
        "sơ.",
        priority=Priority.HIGH,
        coordinators=(("HN-SNNMT", "Hướng dẫn nghiệp vụ, xử lý hồ sơ vướng quy hoạch", -90),),
        **by_date(stage, -30),
    )
    yield At(-118, 9)
    stage.accept("U6")
    yield At(-100, 15)
    stage.progress("U6", 20, "Đã xử lý 250/1.260 hồ sơ.")
    yield At(-80, 15)
    stage.progress("U6", 35, "Đã xử lý 440/1.260 hồ sơ.")
    yield At(-33, 10)
    stage.ask_extension("U6", days=30, reason="Thiếu công chức địa chính sau sắp xếp đơn vị.")
    yield At(-31, 9)
    stage.decide_extension(
        "U6",
        approve=False,
        note="Không đồng ý: lý do nêu không phải khách quan. Yêu cầu Chủ tịch UBND xã bố trí "
        "nhân lực, hoàn thành trong tháng và báo cáo tiến độ hằng tuần.",
    )


def land_price_bounced(stage: Stage) -> Iterator[At]:
    """Refused by Finance (proposing Agriculture and Environment), decided by the Chairman as
    head of the People's Committee, then done on time by the unit he named."""
    yield At(-100, 9)
    stage.assign(
        "U7",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-STC",
        directive=CITY_PLAN,
        group=3,
        officer=stage.person("chuyenvien.stc"),
        title="Xác định giá đất cụ thể làm căn cứ bồi thường, hỗ trợ giải phóng mặt bằng dự án "
        "đường Vành đai 4 - Vùng Thủ đô (đoạn qua xã Sóc Sơn)",
        expected_output="Quyết định phê duyệt giá đất cụ thể của UBND Thành phố.",
        priority=Priority.URGENT,
        is_new_difficult=True,
        coordinators=(
            ("HN-X-SOCSON", "Cung cấp hồ sơ thửa đất, phương án bồi thường dự kiến", -75),
        ),
        **by_date(stage, -45),
    )
    yield At(-99, 10)
    stage.refuse(
        "U7",
        proposed="HN-SNNMT",
        reason="Theo Luật Đất đai 2024, cơ quan quản lý đất đai cấp tỉnh chủ trì tổ chức xác "
        "định giá đất cụ thể; Sở Tài chính là thành viên Hội đồng thẩm định giá đất.",
    )
    yield At(-97, 14)
    stage.decide(
        "U7",
        unit="HN-SNNMT",
        reason="Giao Sở Nông nghiệp và Môi trường chủ trì đúng chức năng quản lý đất đai; Sở Tài "
        "chính tham gia thẩm định. Quyết định có hiệu lực bắt buộc đối với nhiệm vụ.",
    )
    yield At(-96, 9)
    stage.accept("U7")
    yield At(-80, 15)
    stage.progress("U7", 40, "Đã thuê tư vấn định giá; đang khảo sát giá thị trường.")
    yield At(-62, 15)
    stage.progress("U7", 90, "Hội đồng thẩm định giá đất đã họp, thống nhất phương án giá.")
    yield At(-55, 10)
    stage.submit("U7", "Trình dự thảo Quyết định phê duyệt giá đất cụ thể.")
    yield At(-52, 9)
    stage.approve("U7", Q.GOOD, E.HIGH, "Kịp thời, bảo đảm tiến độ bàn giao mặt bằng.")


def road_clearance(stage: Stage) -> Iterator[At]:
    """Overdue but reported on this week, with an extension request waiting for the Chairman."""
    yield At(-110, 9)
    stage.assign(
        "U8",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-SXD",
        directive=CITY_PLAN,
        group=3,
        officer=stage.officer("HN-SXD-GT"),
        title="Tháo gỡ vướng mắc, hoàn thành giải phóng mặt bằng dự án mở rộng đường Tam Trinh",
        expected_output="Biên bản bàn giao mặt bằng sạch cho chủ đầu tư.",
        priority=Priority.URGENT,
        is_new_difficult=True,
        coordinators=(
            ("HN-SNNMT", "Thẩm định phương án bồi thường, hỗ trợ, tái định cư", -60),
            ("HN-P-VINHTUY", "Vận động, tổ chức cưỡng chế thu hồi đất theo quy định", -30),
        ),
        **by_date(stage, -15),
    )
    yield At(-108, 9)
    stage.accept("U8")
    yield At(-90, 15)
    stage.progress("U8", 30, "Đã bàn giao 1,2/3,9 km mặt bằng.")
    yield At(-60, 15)
    stage.progress("U8", 50, "Đã bàn giao 2/3,9 km; 31 hộ chưa nhận tiền bồi thường.")
    yield At(-30, 15)
    stage.progress("U8", 65, "Đã bàn giao 2,6/3,9 km; 12 hộ chưa nhận tiền bồi thường.")
    yield At(-4, 15)
    stage.progress(
        "U8",
        80,
        "Đã bàn giao 3,3/3,9 km.",
        blocker="Còn 7 hộ chưa nhận tiền bồi thường; đề nghị UBND Thành phố chỉ đạo phường Vĩnh "
        "Tuy tổ chức cưỡng chế thu hồi đất.",
    )
    yield At(-3, 10)
    stage.ask_extension(
        "U8", days=25, reason="Chờ tổ chức cưỡng chế thu hồi đất đối với 7 hộ còn lại."
    )


def slow_projects_disputed(stage: Stage) -> Iterator[At]:
    """Refused again by Finance: open, waiting for the Chairman's decision."""
    yield At(-6, 9)
    stage.assign(
        "U9",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-STC",
        directive=CITY_PLAN,
        group=3,
        officer=stage.person("chuyenvien.stc"),
        title="Rà soát, xử lý các dự án sử dụng đất chậm triển khai; đề xuất thu hồi đất theo "
        "Luật Đất đai 2024",
        expected_output="Danh mục dự án chậm triển khai và phương án xử lý từng dự án.",
        priority=Priority.HIGH,
        **by_date(stage, 60),
    )
    yield At(-1, 9)
    stage.refuse(
        "U9",
        proposed="HN-SNNMT",
        reason="Xác định dự án chậm đưa đất vào sử dụng và đề xuất thu hồi đất thuộc chức năng "
        "của Sở Nông nghiệp và Môi trường; Sở Tài chính chỉ phối hợp về nghĩa vụ tài chính.",
    )


def ai_pilot(stage: Stage) -> Iterator[At]:
    """An approved innovative proposal (Nghị định 73/2023/NĐ-CP), within the quarter."""
    yield At(-90, 9)
    stage.assign(
        "U10",
        actor="phochutich",
        assigning="HN-UBND",
        lead="HN-SKHCN",
        directive=CITY_PLAN,
        group=4,
        officer=stage.officer("HN-SKHCN-CDS"),
        title="Thí điểm ứng dụng trí tuệ nhân tạo hỗ trợ phân loại, chuyển xử lý phản ánh của "
        "người dân trên ứng dụng iHanoi",
        expected_output="Báo cáo kết quả thí điểm tại 5 phường; đề xuất nhân rộng hoặc dừng.",
        quality_criteria="Phân loại đúng từ 85% phản ánh trở lên; không lộ thông tin cá nhân.",
        is_innovation=True,
        is_new_difficult=True,
        coordinators=(
            ("HN-VPUB", "Cung cấp dữ liệu phản ánh đã xử lý, quy trình chuyển xử lý", -60),
        ),
        **this_period(stage, PeriodKind.QUARTER),
    )
    yield At(-88, 9)
    stage.accept("U10")
    yield At(-60, 15)
    stage.progress("U10", 20, "Đã chọn 5 phường thí điểm; nhận dữ liệu từ Văn phòng UBND.")
    yield At(-30, 15)
    stage.progress(
        "U10",
        35,
        "Mô hình phân loại đúng 71% trên dữ liệu thử.",
        blocker="Chưa có hướng dẫn về bảo vệ dữ liệu cá nhân khi dùng dữ liệu phản ánh để "
        "huấn luyện mô hình.",
    )
    yield At(-3, 15)
    stage.progress("U10", 55, "Phân loại đúng 84%; đang chạy song song tại 2 phường.")


def health_records_stalled(stage: Stage) -> Iterator[At]:
    """Reported this week, but still 0% with most of its time gone."""
    yield At(-60, 9)
    stage.assign(
        "U11",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-SYT",
        directive=CITY_PLAN,
        group=4,
        officer=stage.officer("HN-SYT"),
        title="Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính lĩnh vực y tế còn hiệu lực",
        expected_output="100% hồ sơ còn hiệu lực được số hóa, kết nối kho dữ liệu Thành phố.",
        **by_date(stage, 20),
    )
    yield At(-58, 9)
    stage.accept("U11")
    yield At(-5, 15)
    stage.progress(
        "U11",
        0,
        "Chưa triển khai số hóa.",
        blocker="Chưa được bố trí kinh phí thuê dịch vụ số hóa; đề nghị Sở Tài chính thẩm định "
        "dự toán.",
    )


def reporting_discipline(stage: Stage) -> Iterator[At]:
    """Returned once, corrected, approved on time (a calendar-days deadline)."""
    yield At(-75, 9)
    stage.assign(
        "U12",
        actor="phochutich",
        assigning="HN-UBND",
        lead="HN-VPUB",
        directive=CITY_PLAN,
        group=4,
        officer=stage.officer("HN-VPUB-TH"),
        title="Báo cáo tình hình thực hiện chế độ báo cáo định kỳ và cập nhật tiến độ nhiệm vụ "
        "của các sở, xã, phường",
        expected_output="Báo cáo, kèm danh sách đơn vị chậm báo cáo, chưa cập nhật tiến độ.",
        deadline_rule=DeadlineRule.CALENDAR_DAYS,
        deadline_days=20,
    )
    yield At(-74, 9)
    stage.accept("U12")
    yield At(-68, 15)
    stage.progress("U12", 60, "Đã tổng hợp số liệu của 35 đơn vị.")
    yield At(-66, 10)
    stage.submit("U12", "Trình báo cáo.")
    yield At(-64, 9)
    stage.send_back(
        "U12",
        "Số liệu nhiệm vụ quá hạn của 4 xã chưa khớp với Hệ thống; bổ sung phân tích nguyên "
        "nhân chậm.",
    )
    yield At(-62, 15)
    stage.progress("U12", 90, "Đã đối chiếu lại số liệu 4 xã, bổ sung phân tích nguyên nhân.")
    yield At(-61, 10)
    stage.submit("U12", "Trình lại báo cáo đã chỉnh sửa.")
    yield At(-58, 9)
    stage.approve("U12", Q.GOOD, E.EFFECTIVE)


def separate_software_cancelled(stage: Stage) -> Iterator[At]:
    yield At(-100, 9)
    stage.assign(
        "U13",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-SKHCN",
        directive=CITY_PLAN,
        group=4,
        title="Xây dựng phần mềm theo dõi, đánh giá nhiệm vụ riêng cho khối các sở",
        expected_output="Phần mềm đưa vào vận hành.",
        **by_date(stage, 30),
    )
    yield At(-98, 9)
    stage.accept("U13")
    yield At(-80, 15)
    stage.progress("U13", 10, "Đã khảo sát yêu cầu của 6 sở.")
    yield At(-40, 10)
    stage.cancel(
        "U13",
        "Thành phố thống nhất dùng chung một Hệ thống theo dõi nhiệm vụ cho toàn bộ hệ thống "
        "chính trị; dừng đầu tư phần mềm riêng để tránh trùng lặp, lãng phí.",
    )


def monthly_grading(stage: Stage) -> Iterator[At]:
    """Returned twice, resubmitted: waiting for the Vice-Chairman, past its deadline."""
    yield At(-50, 9)
    stage.assign(
        "U14",
        actor="phochutich",
        assigning="HN-UBND",
        lead="HN-SNV",
        directive=CITY_PLAN,
        group=5,
        officer=stage.officer("HN-SNV-CCVC"),
        title="Hướng dẫn đánh giá, xếp loại chất lượng công chức hằng tháng theo Nghị định "
        "335/2025/NĐ-CP, gắn với kết quả thực hiện nhiệm vụ được giao",
        expected_output="Văn bản hướng dẫn và bộ biểu mẫu áp dụng thống nhất cho sở, xã, phường.",
        priority=Priority.HIGH,
        deadline_rule=DeadlineRule.WORKING_DAYS,
        deadline_days=20,
    )
    yield At(-49, 9)
    stage.accept("U14")
    yield At(-35, 15)
    stage.progress("U14", 50, "Đã dự thảo hướng dẫn, lấy ý kiến 5 sở.")
    yield At(-26, 10)
    stage.submit("U14", "Trình dự thảo hướng dẫn.")
    yield At(-24, 9)
    stage.send_back(
        "U14",
        "Dự thảo chưa quy định cách trừ điểm khi nhiệm vụ quá hạn, gia hạn nhiều lần; chưa có "
        "biểu mẫu cho cấp xã.",
    )
    yield At(-18, 10)
    stage.submit("U14", "Đã bổ sung cách trừ điểm và biểu mẫu cấp xã.")
    yield At(-16, 9)
    stage.send_back(
        "U14",
        "Tiêu chí đánh giá người đứng đầu chưa gắn với kết quả của đơn vị; đề nghị tiếp thu ý "
        "kiến Sở Tư pháp.",
    )
    yield At(-5, 15)
    stage.progress("U14", 95, "Đã tiếp thu ý kiến Sở Tư pháp.")
    stage.submit("U14", "Trình lần 3 dự thảo hướng dẫn đã hoàn chỉnh.")


def one_stop_staffing(stage: Stage) -> Iterator[At]:
    """Extended once, still finished late: graded accordingly."""
    yield At(-120, 10)
    stage.assign(
        "U15",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-SNV",
        directive=CITY_PLAN,
        group=5,
        officer=stage.officer("HN-SNV-TCBM"),
        title="Kiện toàn bộ phận một cửa, bố trí công chức tiếp nhận hồ sơ tại các xã, phường "
        "sau sắp xếp đơn vị hành chính",
        expected_output="Quyết định kiện toàn bộ phận một cửa của 126 xã, phường.",
        coordinators=(("HN-P-BADINH", "Báo cáo nhu cầu biên chế bộ phận một cửa", -100),),
        **by_date(stage, -75),
    )
    yield At(-118, 9)
    stage.accept("U15")
    yield At(-95, 15)
    stage.progress("U15", 40, "Đã có quyết định kiện toàn của 50/126 xã, phường.")
    yield At(-78, 10)
    stage.ask_extension(
        "U15", days=-60, reason="Một số xã, phường chưa hoàn thành sắp xếp công chức."
    )
    yield At(-77, 9)
    stage.decide_extension("U15", approve=True, note="Đồng ý gia hạn một lần.")
    yield At(-62, 15)
    stage.progress("U15", 80, "Đã có quyết định kiện toàn của 101/126 xã, phường.")
    yield At(-45, 10)
    stage.submit("U15", "Hoàn thành kiện toàn 126/126 xã, phường.")
    yield At(-43, 9)
    stage.approve(
        "U15",
        Q.SATISFACTORY,
        E.LOW,
        "Hoàn thành chậm so với hạn đã gia hạn; phê bình rút kinh nghiệm.",
    )


def digitisation_budget(stage: Stage) -> Iterator[At]:
    """Just assigned to Finance: waiting for the Director to accept it."""
    yield At(-2, 9)
    stage.assign(
        "U16",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-STC",
        directive=CITY_PLAN,
        group=4,
        officer=stage.person("chuyenvien.stc"),
        title=f"Thẩm định, bố trí kinh phí số hóa hồ sơ thủ tục hành chính năm "
        f"{stage.today.year + 1} cho các sở, xã, phường",
        expected_output="Tờ trình phân bổ kinh phí kèm dự toán chi tiết từng đơn vị.",
        coordinators=(("HN-SKHCN", "Thẩm định yêu cầu kỹ thuật, định mức số hóa", 7),),
        deadline_rule=DeadlineRule.WORKING_DAYS,
        deadline_days=10,
    )


def advances_recovery(stage: Stage) -> Iterator[At]:
    """Finance's officer is behind: overdue, but reporting."""
    yield At(-80, 9)
    stage.assign(
        "U17",
        actor="phochutich",
        assigning="HN-UBND",
        lead="HN-STC",
        directive=CITY_PLAN,
        group=5,
        officer=stage.person("chuyenvien.stc"),
        title="Rà soát, đôn đốc thu hồi các khoản tạm ứng vốn đầu tư quá hạn của các chủ đầu tư",
        expected_output="Báo cáo kết quả thu hồi, danh sách chủ đầu tư chưa hoàn trả.",
        **by_date(stage, -10),
    )
    yield At(-78, 9)
    stage.accept("U17")
    yield At(-60, 15)
    stage.progress("U17", 30, "Đã đối chiếu 312 khoản tạm ứng quá hạn.")
    yield At(-25, 15)
    stage.progress("U17", 55, "Đã thu hồi 171/312 khoản.")
    yield At(-3, 15)
    stage.progress(
        "U17",
        70,
        "Đã thu hồi 219/312 khoản.",
        blocker="4 chủ đầu tư đã giải thể sau sắp xếp, chưa xác định đơn vị kế thừa nghĩa vụ "
        "hoàn trả tạm ứng.",
    )


def investment_allocation(stage: Stage) -> Iterator[At]:
    """Submitted yesterday: waiting for the Vice-Chairman's grades."""
    yield At(-35, 9)
    stage.assign(
        "U18",
        actor="phochutich",
        assigning="HN-UBND",
        lead="HN-STC",
        directive=CITY_PLAN,
        group=3,
        officer=stage.person("chuyenvien.stc"),
        title="Thẩm định phương án phân bổ vốn đầu tư công trung hạn cho các xã, phường theo mô "
        "hình chính quyền địa phương hai cấp",
        expected_output="Báo cáo thẩm định, dự thảo tờ trình HĐND Thành phố.",
        **by_date(stage, 10),
    )
    yield At(-34, 9)
    stage.accept("U18")
    yield At(-20, 15)
    stage.progress("U18", 60, "Đã thẩm định phương án của 80/126 xã, phường.")
    yield At(-1, 10)
    stage.submit("U18", "Trình báo cáo thẩm định và dự thảo tờ trình.")


def dyke_clearance_unaccepted(stage: Stage) -> Iterator[At]:
    """Never accepted by Ba Vì commune in 45 days, now overdue too."""
    yield At(-45, 9)
    stage.assign(
        "U19",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-X-BAVI",
        directive=CITY_PLAN,
        group=3,
        title="Hoàn thành kiểm đếm, lập phương án bồi thường, hỗ trợ cho các hộ dân bị ảnh hưởng "
        "bởi dự án cải tạo đê tả sông Đà",
        expected_output="Phương án bồi thường, hỗ trợ được niêm yết công khai.",
        priority=Priority.HIGH,
        **by_date(stage, -5),
    )


def old_quarter_sidewalks(stage: Stage) -> Iterator[At]:
    """Hoàn Kiếm ward accepted it, reported once, then fell silent: overdue, not updated."""
    yield At(-70, 9)
    stage.assign(
        "U20",
        actor="chutich",
        assigning="HN-UBND",
        lead="HN-P-HOANKIEM",
        directive=CITY_PLAN,
        group=5,
        officer=stage.officer("HN-P-HOANKIEM-KT"),
        title="Lập lại trật tự vỉa hè, lòng đường tại các tuyến phố khu phố cổ; xử lý dứt điểm "
        "điểm trông giữ xe trái phép",
        expected_output="Báo cáo kết quả, danh sách tuyến phố đạt chuẩn văn minh đô thị.",
        **by_date(stage, -7),
    )
    yield At(-68, 9)
    stage.accept("U20")
    yield At(-50, 15)
    stage.progress("U20", 40, "Đã ra quân trên 12/30 tuyến phố; xử lý 64 trường hợp vi phạm.")


def ward_building_checks(stage: Stage) -> Iterator[At]:
    """The ward chairman's own task to his division: submitted, waiting for him."""
    yield At(-30, 9)
    stage.assign(
        "H1",
        actor="chutich.hoankiem",
        assigning="HN-P-HOANKIEM",
        lead="HN-P-HOANKIEM-KT",
        title="Kiểm tra, xử lý vi phạm trật tự xây dựng tại các công trình cải tạo nhà phố cổ",
        expected_output="Biên bản kiểm tra, quyết định xử phạt các trường hợp vi phạm.",
        deadline_rule=DeadlineRule.CALENDAR_DAYS,
        deadline_days=30,
    )
    yield At(-29, 9)
    stage.accept("H1")
    yield At(-15, 15)
    stage.progress("H1", 70, "Đã kiểm tra 46 công trình; lập biên bản 9 trường hợp vi phạm.")
    yield At(-2, 10)
    stage.submit("H1", "Trình kết quả kiểm tra và dự thảo quyết định xử phạt.")


# --------------------------------------------------------------------------------------------
