"""What the demo city is made of: names of units, positions and people, as Hà Nội has them.

Two-level local government from 01/7/2025: the city, then communes and wards; the districts
that existed before are kept as closed units with their successors, so history stays readable.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

FAMILY_NAMES = [
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Tạ",
]
MIDDLE_NAMES_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Mạnh", "Xuân", "Tiến", "Công"]
MIDDLE_NAMES_FEMALE = ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Thùy", "Phương", "Lan"]
GIVEN_NAMES_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Huy",
    "Khánh",
    "Kiên",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Thành",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
]
GIVEN_NAMES_FEMALE = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Trang",
    "Vân",
    "Yến",
]


def vietnamese_name(rng: random.Random) -> str:
    family = rng.choice(FAMILY_NAMES)
    if rng.random() < 0.5:
        return f"{family} {rng.choice(MIDDLE_NAMES_MALE)} {rng.choice(GIVEN_NAMES_MALE)}"
    return f"{family} {rng.choice(MIDDLE_NAMES_FEMALE)} {rng.choice(GIVEN_NAMES_FEMALE)}"


@dataclass(frozen=True)
class DivisionSpec:
    suffix: str
    name: str
    mandate: str = ""


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    short_name: str
    mandate: str
    divisions: tuple[DivisionSpec, ...] = field(default_factory=tuple)


COMMON_DEPARTMENT_DIVISIONS = (
    DivisionSpec("VP", "Văn phòng", "Tổng hợp, hành chính, văn thư, lưu trữ của cơ quan."),
)

DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        "STC",
        "Sở Tài chính",
        "STC",
        "Tham mưu về tài chính, ngân sách, đầu tư, đăng ký doanh nghiệp, quản lý giá.",
        (DivisionSpec("NS", "Phòng Quản lý ngân sách"), DivisionSpec("DT", "Phòng Đầu tư")),
    ),
    DepartmentSpec(
        "SNV",
        "Sở Nội vụ",
        "SNV",
        "Tham mưu về tổ chức bộ máy, biên chế, công chức, viên chức, lao động, thi đua.",
        (
            DivisionSpec("TCBM", "Phòng Tổ chức bộ máy"),
            DivisionSpec("CCVC", "Phòng Công chức, viên chức"),
        ),
    ),
    DepartmentSpec(
        "STP",
        "Sở Tư pháp",
        "STP",
        "Tham mưu về xây dựng, kiểm tra văn bản quy phạm pháp luật, hộ tịch, bổ trợ tư pháp.",
        (DivisionSpec("VB", "Phòng Xây dựng và kiểm tra văn bản"),),
    ),
    DepartmentSpec(
        "SXD",
        "Sở Xây dựng",
        "SXD",
        "Tham mưu về xây dựng, giao thông, hạ tầng kỹ thuật đô thị, nhà ở.",
        (
            DivisionSpec("HT", "Phòng Hạ tầng kỹ thuật"),
            DivisionSpec("GT", "Phòng Quản lý giao thông"),
        ),
    ),
    DepartmentSpec(
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        "SNN&MT",
        "Tham mưu về nông nghiệp, đất đai, tài nguyên nước, môi trường, thủy lợi.",
        (
            DivisionSpec("DD", "Phòng Quản lý đất đai"),
            DivisionSpec("MT", "Phòng Bảo vệ môi trường"),
        ),
    ),
    DepartmentSpec(
        "SYT",
        "Sở Y tế",
        "SYT",
        "Tham mưu về y tế dự phòng, khám chữa bệnh, dược, an toàn thực phẩm.",
        (DivisionSpec("NVY", "Phòng Nghiệp vụ Y"),),
    ),
    DepartmentSpec(
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        "SGD&ĐT",
        "Tham mưu về giáo dục mầm non, phổ thông, giáo dục thường xuyên.",
        (DivisionSpec("GDPT", "Phòng Giáo dục phổ thông"),),
    ),
    DepartmentSpec(
        "SVHTT",
        "Sở Văn hóa và Thể thao",
        "SVH&TT",
        "Tham mưu về văn hóa, gia đình, thể dục thể thao, quảng cáo.",
        (DivisionSpec("QLVH", "Phòng Quản lý văn hóa"),),
    ),
    DepartmentSpec(
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        "SKH&CN",
        "Tham mưu về khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số, bưu chính, viễn thông.",
        (DivisionSpec("CDS", "Phòng Chuyển đổi số"),),
    ),
    DepartmentSpec(
        "SCT",
        "Sở Công Thương",
        "SCT",
        "Tham mưu về công nghiệp, thương mại, năng lượng, quản lý thị trường.",
        (DivisionSpec("TM", "Phòng Quản lý thương mại"),),
    ),
    DepartmentSpec(
        "SDL",
        "Sở Du lịch",
        "SDL",
        "Tham mưu về du lịch, xúc tiến du lịch, quản lý khu, điểm du lịch.",
        (DivisionSpec("LH", "Phòng Quản lý lữ hành"),),
    ),
    DepartmentSpec(
        "SQHKT",
        "Sở Quy hoạch - Kiến trúc",
        "SQH-KT",
        "Tham mưu về quy hoạch xây dựng, kiến trúc, quy hoạch đô thị và nông thôn.",
        (DivisionSpec("QH", "Phòng Quy hoạch đô thị"),),
    ),
    DepartmentSpec(
        "SDTTG",
        "Sở Dân tộc và Tôn giáo",
        "SDT&TG",
        "Tham mưu về công tác dân tộc, tín ngưỡng, tôn giáo.",
        (DivisionSpec("TG", "Phòng Tôn giáo"),),
    ),
    DepartmentSpec(
        "TTTP",
        "Thanh tra Thành phố",
        "TTTP",
        "Thanh tra, giải quyết khiếu nại, tố cáo, phòng chống tham nhũng, lãng phí, tiêu cực.",
        (DivisionSpec("NV1", "Phòng Nghiệp vụ 1"), DivisionSpec("TCD", "Phòng Tiếp công dân")),
    ),
    DepartmentSpec(
        "VPUB",
        "Văn phòng UBND Thành phố",
        "VP UBND",
        "Tham mưu tổng hợp, theo dõi, đôn đốc việc thực hiện nhiệm vụ UBND Thành phố giao.",
        (
            DivisionSpec("TH", "Phòng Tổng hợp"),
            DivisionSpec("KSTT", "Phòng Kiểm soát thủ tục hành chính"),
        ),
    ),
)


@dataclass(frozen=True)
class CommuneSpec:
    code: str
    name: str
    is_ward: bool
    predecessor_district: str | None = None


COMMUNES: tuple[CommuneSpec, ...] = (
    CommuneSpec("P-HOANKIEM", "Phường Hoàn Kiếm", True, "Q-HOANKIEM"),
    CommuneSpec("P-CUANAM", "Phường Cửa Nam", True, "Q-HOANKIEM"),
    CommuneSpec("P-BADINH", "Phường Ba Đình", True, "Q-BADINH"),
    CommuneSpec("P-NGOCHA", "Phường Ngọc Hà", True, "Q-BADINH"),
    CommuneSpec("P-GIANGVO", "Phường Giảng Võ", True, "Q-BADINH"),
    CommuneSpec("P-HAIBATRUNG", "Phường Hai Bà Trưng", True),
    CommuneSpec("P-VINHTUY", "Phường Vĩnh Tuy", True),
    CommuneSpec("P-BACHMAI", "Phường Bạch Mai", True),
    CommuneSpec("P-DONGDA", "Phường Đống Đa", True),
    CommuneSpec("P-LANG", "Phường Láng", True),
    CommuneSpec("P-CAUGIAY", "Phường Cầu Giấy", True),
    CommuneSpec("P-NGHIADO", "Phường Nghĩa Đô", True),
    CommuneSpec("P-TAYHO", "Phường Tây Hồ", True),
    CommuneSpec("P-LONGBIEN", "Phường Long Biên", True),
    CommuneSpec("P-HADONG", "Phường Hà Đông", True),
    CommuneSpec("X-SOCSON", "Xã Sóc Sơn", False, "H-SOCSON"),
    CommuneSpec("X-DONGANH", "Xã Đông Anh", False),
    CommuneSpec("X-GIALAM", "Xã Gia Lâm", False),
    CommuneSpec("X-THANHTRI", "Xã Thanh Trì", False),
    CommuneSpec("X-BAVI", "Xã Ba Vì", False),
)

FORMER_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("Q-HOANKIEM", "Quận Hoàn Kiếm"),
    ("Q-BADINH", "Quận Ba Đình"),
    ("H-SOCSON", "Huyện Sóc Sơn"),
)

WARD_DIVISIONS = (
    DivisionSpec("VP", "Văn phòng HĐND và UBND", "Tổng hợp, văn thư, một cửa, theo dõi nhiệm vụ."),
    DivisionSpec("KT", "Phòng Kinh tế, Hạ tầng và Đô thị", "Kinh tế, xây dựng, trật tự đô thị."),
    DivisionSpec("VHXH", "Phòng Văn hóa - Xã hội", "Văn hóa, giáo dục, y tế, an sinh xã hội."),
)
COMMUNE_DIVISIONS = (
    DivisionSpec("VP", "Văn phòng HĐND và UBND", "Tổng hợp, văn thư, một cửa, theo dõi nhiệm vụ."),
    DivisionSpec("KT", "Phòng Kinh tế", "Nông nghiệp, kinh tế, xây dựng nông thôn mới."),
    DivisionSpec("VHXH", "Phòng Văn hóa - Xã hội", "Văn hóa, giáo dục, y tế, an sinh xã hội."),
)

SOCIO_POLITICAL = (
    ("HN-HLHPN", "Hội Liên hiệp Phụ nữ Thành phố Hà Nội"),
    ("HN-DTN", "Thành đoàn Hà Nội"),
    ("HN-HND", "Hội Nông dân Thành phố Hà Nội"),
    ("HN-HCCB", "Hội Cựu chiến binh Thành phố Hà Nội"),
)
