"""Build the demo city through the same service commands people use, so its ledger is real."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from baro.core.errors import DomainError
from baro.core.timeutil import now
from baro.demo.catalogue import (
    COMMON_DEPARTMENT_DIVISIONS,
    COMMUNE_DIVISIONS,
    COMMUNES,
    DEPARTMENTS,
    FORMER_DISTRICTS,
    SOCIO_POLITICAL,
    WARD_DIVISIONS,
    DivisionSpec,
    vietnamese_name,
)
from baro.demo.story import tell_story
from baro.ledger.checkpoints import checkpoint_create
from baro.org import services
from baro.org.authority import Power
from baro.org.models import Person, Role, Unit, UnitKind

DEMO_PASSWORD = "baro-demo-2026"  # noqa: S105 - printed for people trying the demo
HISTORY_START = dt.date(2008, 8, 1)  # Hà Nội's administrative boundary widened on 01/8/2008
REFORM_DAY = dt.date(2025, 7, 1)  # two-level local government: districts abolished
TERM_START = dt.date(2021, 6, 1)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    description: str
    full_name: str

    @property
    def person_code(self) -> str:
        """Stable codes for the accounts, so guides and browser tests can name them."""
        return "CB-" + self.username.upper().replace(".", "-")


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin",
        "Quản trị hệ thống",
        "quản lý cơ cấu tổ chức, nhập dữ liệu, sổ cái",
        "Trịnh Minh Khoa",
    ),
    DemoAccount("bithu", "Lãnh đạo (người đứng đầu)", "Bí thư Thành ủy", "Đoàn Văn Bảo"),
    DemoAccount(
        "chutich", "Lãnh đạo (người đứng đầu)", "Chủ tịch UBND Thành phố", "Lương Quốc Hưng"
    ),
    DemoAccount(
        "phochutich", "Cấp phó", "Phó Chủ tịch UBND Thành phố, được ủy quyền", "Hà Minh Tâm"
    ),
    DemoAccount("giamdoc.stc", "Người đứng đầu", "Giám đốc Sở Tài chính", "Nguyễn Hữu Khải"),
    DemoAccount(
        "phogiamdoc.stc", "Cấp phó", "Phó Giám đốc Sở Tài chính (ủy quyền đã hết hạn)", "Đỗ Văn Hòa"
    ),
    DemoAccount(
        "chuyenvien.stc", "Chuyên viên", "Phòng Quản lý ngân sách, Sở Tài chính", "Lê Thị Thu Hằng"
    ),
    DemoAccount("vanthu.stc", "Văn thư, tổng hợp", "Văn phòng Sở Tài chính", "Phạm Thị Ngọc Lan"),
    DemoAccount("kiemtra", "Kiểm tra, thanh tra", "Ủy ban Kiểm tra Thành ủy", "Vũ Đức Thịnh"),
    DemoAccount("mttq", "Giám sát (MTTQ)", "Ủy ban MTTQ Việt Nam Thành phố", "Tạ Thị Lan Hương"),
    DemoAccount(
        "chutich.hoankiem", "Người đứng đầu", "Chủ tịch UBND phường Hoàn Kiếm", "Phạm Tuấn Kiệt"
    ),
)

ACCOUNTS = {account.username: account for account in DEMO_ACCOUNTS}


def ascii_slug(text: str) -> str:
    """Vietnamese name → ascii for e-mail addresses ("Đặng Thị Hằng" → "dang.thi.hang")."""
    text = text.replace("Đ", "D").replace("đ", "d")
    stripped = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ".".join(stripped.lower().split())


class DemoBuilder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self.counter = 0
        self.admin: Person | None = None
        self.people: dict[str, Person] = {}
        self.units: dict[str, Unit] = {}

    @property
    def actor(self) -> Person:
        assert self.admin is not None
        return self.admin

    # -- helpers -----------------------------------------------------------------------------
    def unit(
        self,
        code: str,
        name: str,
        kind: str,
        parent: Unit | None,
        *,
        mandate: str = "",
        short_name: str = "",
        valid_from: dt.date = HISTORY_START,
    ) -> Unit:
        unit = services.unit_create(
            actor=self.actor,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            short_name=short_name,
            mandate=mandate,
            address="Hà Nội",
            valid_from=valid_from,
        )
        self.units[code] = unit
        return unit

    def person(
        self,
        unit: Unit,
        role: str,
        title: str,
        *,
        username: str | None = None,
        valid_from: dt.date | None = None,
    ) -> Person:
        self.counter += 1
        account = ACCOUNTS.get(username or "")
        full_name = account.full_name if account else vietnamese_name(self.rng)
        person = services.person_create(
            actor=self.actor,
            unit=unit,
            full_name=full_name,
            code=account.person_code if account else f"CB{self.counter:05d}",
            email=f"{ascii_slug(full_name)}.{self.counter}@hanoi.gov.vn",
            phone=f"09{self.rng.randrange(10**7, 10**8)}",
            username=username,
            password=DEMO_PASSWORD if username else None,
            role=role,
            title=title,
            valid_from=valid_from or max(unit.valid_from, TERM_START),
        )
        if username:
            self.people[username] = person
        return person

    def division(self, parent: Unit, spec: DivisionSpec, *, valid_from: dt.date) -> Unit:
        unit = self.unit(
            f"{parent.code}-{spec.suffix}",
            spec.name,
            UnitKind.DIVISION,
            parent,
            mandate=spec.mandate,
            valid_from=valid_from,
        )
        head_title = "Chánh Văn phòng" if spec.suffix == "VP" else "Trưởng phòng"
        self.person(unit, Role.HEAD, head_title)
        if self.rng.random() < 0.15:
            self.person(unit, Role.DEPUTY, f"Phó {head_title[0].lower()}{head_title[1:]}")
        self.person(unit, Role.OFFICER, "Chuyên viên")
        return unit

    # -- the city ----------------------------------------------------------------------------
    def build(self) -> None:
        self.admin = services.bootstrap_installation(
            root_name="Thành phố Hà Nội",
            root_code="HN",
            admin_username="admin",
            admin_password=DEMO_PASSWORD,
            admin_full_name=ACCOUNTS["admin"].full_name,
            admin_code=ACCOUNTS["admin"].person_code,
            root_valid_from=HISTORY_START,
        )
        root = Unit.objects.get(code="HN")
        self.units["HN"] = root
        self.party_committee(root)
        peoples_committee = self.peoples_committee(root)
        self.departments(peoples_committee)
        self.communes(peoples_committee)
        self.fatherland_front(root)
        self.delegations()

    def party_committee(self, root: Unit) -> None:
        committee = self.unit(
            "HN-TU",
            "Thành ủy Hà Nội",
            UnitKind.PARTY_COMMITTEE,
            root,
            short_name="Thành ủy",
            mandate="Lãnh đạo toàn diện hệ thống chính trị Thành phố.",
        )
        secretary = self.person(committee, Role.HEAD, "Bí thư Thành ủy", username="bithu")
        services.position_appoint(
            actor=self.actor,
            person=secretary,
            unit=root,
            role=Role.HEAD,
            title="Bí thư Thành ủy",
            valid_from=TERM_START,
        )
        office = self.unit("HN-TU-VP", "Văn phòng Thành ủy", UnitKind.DIVISION, committee)
        self.person(office, Role.HEAD, "Chánh Văn phòng")
        self.person(office, Role.OFFICER, "Chuyên viên")
        inspection = self.unit(
            "HN-TU-UBKT",
            "Ủy ban Kiểm tra Thành ủy",
            UnitKind.DIVISION,
            committee,
            mandate="Kiểm tra, giám sát việc thực hiện chỉ thị, nghị quyết; xử lý vi phạm.",
        )
        self.person(inspection, Role.HEAD, "Chủ nhiệm Ủy ban Kiểm tra")
        inspector = self.person(inspection, Role.OFFICER, "Kiểm tra viên", username="kiemtra")
        # Inspectors look at the whole city, so their inspecting role sits at the root.
        services.position_appoint(
            actor=self.actor,
            person=inspector,
            unit=root,
            role=Role.INSPECTOR,
            title="Kiểm tra viên, Ủy ban Kiểm tra Thành ủy",
            valid_from=TERM_START,
        )
        organisation = self.unit("HN-TU-BTC", "Ban Tổ chức Thành ủy", UnitKind.DIVISION, committee)
        self.person(organisation, Role.HEAD, "Trưởng ban")
        self.person(organisation, Role.OFFICER, "Chuyên viên")

    def peoples_committee(self, root: Unit) -> Unit:
        committee = self.unit(
            "HN-UBND",
            "Ủy ban nhân dân Thành phố Hà Nội",
            UnitKind.PEOPLES_COMMITTEE,
            root,
            short_name="UBND Thành phố",
            mandate="Cơ quan hành chính nhà nước ở Thành phố; chỉ đạo các sở, xã, phường.",
        )
        self.person(committee, Role.HEAD, "Chủ tịch UBND Thành phố", username="chutich")
        self.person(committee, Role.DEPUTY, "Phó Chủ tịch Thường trực UBND Thành phố")
        self.person(committee, Role.DEPUTY, "Phó Chủ tịch UBND Thành phố", username="phochutich")
        self.person(committee, Role.DEPUTY, "Phó Chủ tịch UBND Thành phố")
        return committee

    def departments(self, committee: Unit) -> None:
        for spec in DEPARTMENTS:
            department = self.unit(
                f"HN-{spec.code}",
                spec.name,
                UnitKind.DEPARTMENT,
                committee,
                short_name=spec.short_name,
                mandate=spec.mandate,
            )
            head_title = {
                "TTTP": "Chánh Thanh tra Thành phố",
                "VPUB": "Chánh Văn phòng UBND Thành phố",
            }.get(spec.code, "Giám đốc")
            deputy_title = {"TTTP": "Phó Chánh Thanh tra", "VPUB": "Phó Chánh Văn phòng"}.get(
                spec.code, "Phó Giám đốc"
            )
            is_finance = spec.code == "STC"
            if is_finance:
                # The finance department changed heads in 2024: its history shows both.
                self.person(department, Role.HEAD, head_title, valid_from=TERM_START)
                self.counter += 1
                new_head = self.person_without_position("giamdoc.stc")
                services.head_replace(
                    actor=self.actor,
                    unit=department,
                    person=new_head,
                    title=head_title,
                    on=dt.date(2024, 10, 1),
                    decision_ref="Quyết định số 4512/QĐ-UBND ngày 20/9/2024",
                )
            else:
                self.person(department, Role.HEAD, head_title)
            for index in range(self.rng.choice((1, 1, 2))):
                username = "phogiamdoc.stc" if is_finance and index == 0 else None
                self.person(department, Role.DEPUTY, deputy_title, username=username)
            self.person(
                department,
                Role.SECRETARIAT,
                "Văn thư",
                username="vanthu.stc" if is_finance else None,
            )
            for division in COMMON_DEPARTMENT_DIVISIONS + spec.divisions:
                unit = self.division(department, division, valid_from=HISTORY_START)
                if is_finance and division.suffix == "NS":
                    self.person(unit, Role.OFFICER, "Chuyên viên chính", username="chuyenvien.stc")

    def person_without_position(self, username: str) -> Person:
        account = ACCOUNTS[username]
        full_name = account.full_name
        person = services.person_create(
            actor=self.actor,
            unit=self.units["HN"],
            full_name=full_name,
            code=account.person_code,
            email=f"{ascii_slug(full_name)}.{self.counter}@hanoi.gov.vn",
            username=username,
            password=DEMO_PASSWORD,
        )
        self.people[username] = person
        return person

    def communes(self, committee: Unit) -> None:
        districts: dict[str, Unit] = {}
        for code, name in FORMER_DISTRICTS:
            district = self.unit(code, name, UnitKind.DISTRICT, committee)
            self.person(district, Role.HEAD, f"Chủ tịch UBND {name.lower()}")
            districts[code] = district
        for spec in COMMUNES:
            level = "phường" if spec.is_ward else "xã"
            commune = self.unit(
                f"HN-{spec.code}",
                spec.name,
                UnitKind.COMMUNE,
                committee,
                mandate=f"Chính quyền địa phương cấp {level} theo mô hình hai cấp.",
                valid_from=REFORM_DAY,
            )
            username = "chutich.hoankiem" if spec.code == "P-HOANKIEM" else None
            self.person(commune, Role.HEAD, f"Chủ tịch UBND {level}", username=username)
            self.person(commune, Role.DEPUTY, f"Phó Chủ tịch UBND {level}")
            for division in WARD_DIVISIONS if spec.is_ward else COMMUNE_DIVISIONS:
                self.division(commune, division, valid_from=REFORM_DAY)
            party = self.unit(
                f"HN-{spec.code}-DU",
                f"Đảng ủy {spec.name[0].lower()}{spec.name[1:]}",
                UnitKind.PARTY_COMMITTEE,
                commune,
                valid_from=REFORM_DAY,
            )
            self.person(party, Role.HEAD, f"Bí thư Đảng ủy {level}")
            front = self.unit(
                f"HN-{spec.code}-MT",
                f"Ủy ban MTTQ Việt Nam {spec.name[0].lower()}{spec.name[1:]}",
                UnitKind.FATHERLAND_FRONT,
                commune,
                valid_from=REFORM_DAY,
            )
            self.person(front, Role.HEAD, "Chủ tịch Ủy ban MTTQ")
            if spec.predecessor_district and spec.predecessor_district in districts:
                district = districts.pop(spec.predecessor_district)
                services.unit_merge(
                    actor=self.actor,
                    units=[district],
                    into=commune,
                    on=REFORM_DAY,
                    decision_ref="Nghị quyết số 1656/NQ-UBTVQH15 ngày 16/6/2025",
                )

    def fatherland_front(self, root: Unit) -> None:
        front = self.unit(
            "HN-MTTQ",
            "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hà Nội",
            UnitKind.FATHERLAND_FRONT,
            root,
            short_name="Ủy ban MTTQ Thành phố",
            mandate="Giám sát, phản biện xã hội; tập hợp khối đại đoàn kết toàn dân.",
        )
        self.person(front, Role.HEAD, "Chủ tịch Ủy ban MTTQ Việt Nam Thành phố")
        supervisor = self.person(front, Role.OFFICER, "Ủy viên Ban Thường trực", username="mttq")
        services.position_appoint(
            actor=self.actor,
            person=supervisor,
            unit=root,
            role=Role.FRONT_SUPERVISOR,
            title="Ủy viên Ban Thường trực Ủy ban MTTQ Việt Nam Thành phố",
            valid_from=TERM_START,
        )
        for code, name in SOCIO_POLITICAL:
            organisation = self.unit(code, name, UnitKind.SOCIO_POLITICAL, front)
            self.person(organisation, Role.HEAD, "Chủ tịch" if "Đoàn" not in name else "Bí thư")

    def delegations(self) -> None:
        current = now()
        chairman, deputy = self.people["chutich"], self.people["phochutich"]
        services.delegation_grant(
            actor=chairman,
            delegator=chairman,
            delegate=deputy,
            unit=self.units["HN-UBND"],
            powers=[Power.TASK_ASSIGN, Power.TASK_APPROVE],
            valid_from=current - dt.timedelta(days=10),
            valid_to=current + dt.timedelta(days=80),
            reason="Ủy quyền chỉ đạo, giao và duyệt nhiệm vụ lĩnh vực kinh tế - ngân sách "
            "trong thời gian Chủ tịch dự lớp đào tạo tập trung.",
            decision_ref="Quyết định số 5120/QĐ-UBND",
        )
        director, vice = self.people["giamdoc.stc"], self.people["phogiamdoc.stc"]
        services.delegation_grant(
            actor=director,
            delegator=director,
            delegate=vice,
            unit=self.units["HN-STC"],
            # Powers a deputy does not hold by position: once the delegation ended, Baro
            # refuses them again, and the vice director's home page says so, with the reason.
            powers=[Power.DISPUTE_DECIDE, Power.DIRECTIVE_ISSUE],
            valid_from=current - dt.timedelta(days=120),
            valid_to=current - dt.timedelta(days=90),
            reason="Giám đốc đi công tác nước ngoài; ủy quyền quyết định tranh chấp thẩm quyền và "
            "ban hành văn bản chỉ đạo trong thời gian vắng.",
            decision_ref="Quyết định số 87/QĐ-STC",
        )

    def summary(self) -> str:
        lines = [
            "",
            "Đã nạp dữ liệu mẫu: Thành phố Hà Nội (mô hình chính quyền hai cấp) — "
            f"{Unit.objects.count()} đơn vị, {Person.objects.filter(is_system=False).count()} "
            "cán bộ.",
        ]
        return "\n".join(lines + demo_logins())


def demo_logins() -> list[str]:
    lines = ["", f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):"]
    for account in DEMO_ACCOUNTS:
        lines.append(f"  {account.username:<18} {account.role:<28} {account.description}")
    return lines


def _reset_sqlite() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != settings.SQLITE_ENGINE:
        raise DomainError(
            "demo.reset_not_sqlite",
            _(
                "Chỉ xóa và nạp lại dữ liệu mẫu với SQLite; với PostgreSQL hãy dùng cơ sở dữ liệu "
                "mới."
            ),
        )
    connections.close_all()
    from pathlib import Path

    name = Path(str(database["NAME"]))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
    from baro.setup import initialise

    initialise(verbosity=0)


def load_demo(*, reset: bool = False, if_empty: bool = False, seed: int = 24) -> str:
    """Load the demo city into an empty database; return what to tell the user."""
    if reset:
        _reset_sqlite()
    if Unit.objects.exists():
        if if_empty:
            return "\n".join(
                ["Cơ sở dữ liệu đã có dữ liệu; không nạp lại dữ liệu mẫu.", *demo_logins()]
            )
        raise DomainError(
            "demo.not_empty",
            _("Cơ sở dữ liệu đã có dữ liệu. Dùng `baro demo --reset` để xóa và nạp lại (SQLite)."),
        )
    builder = DemoBuilder(seed)
    builder.build()
    # The directives and tasks of the 24-CT/TU story, on the city just built.
    story = tell_story()
    # Sign a checkpoint now, so the ledger page shows a signed, verifiable state from the start.
    checkpoint_create()
    return "\n".join([builder.summary(), "", story.summary])
