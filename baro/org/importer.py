"""Import units and people from a spreadsheet (.xlsx) or a CSV file, all or nothing.

One row per unit or person, told apart by `loai_dong` (unit | person). Vietnamese headers, or
their English aliases:

    loai_dong (row_type)                 unit | person (also "đơn vị", "cán bộ")
    ma_don_vi (unit_code)                the unit's code; for a person, the unit they work in
    ten_don_vi (unit_name)               unit rows
    ten_viet_tat (short_name)            unit rows, optional
    loai_don_vi (unit_kind)              a UnitKind value or its Vietnamese label
    ma_don_vi_cap_tren (parent_code)     a unit in the file or already registered; empty = under
                                         the `parent` given to the import (a root without one)
    chuc_nang_nhiem_vu (mandate)         optional
    dia_chi (address)                    optional
    ma_can_bo (person_code), ho_ten (full_name), email, dien_thoai (phone),
    vai_tro (role: a Role value or label), chuc_danh (title)        person rows

Every row is checked before anything is written; any problem refuses the whole file with
`import.invalid`, whose details list each bad row as {row, column, reason} (row numbers as the
spreadsheet shows them, header = row 1). On success the units (parents before children), people
and positions are bulk-inserted in one transaction with ONE ledger event `org.import.completed`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from baro.core.errors import DomainError
from baro.core.timeutil import today
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.models import Person, Position, Role, Unit, UnitKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ROW_UNIT = "unit"
ROW_PERSON = "person"
CHUNK = 500

COLUMNS: dict[str, tuple[str, ...]] = {
    "loai_dong": ("row_type", "type"),
    "ma_don_vi": ("unit_code",),
    "ten_don_vi": ("unit_name",),
    "ten_viet_tat": ("short_name",),
    "loai_don_vi": ("unit_kind",),
    "ma_don_vi_cap_tren": ("parent_code",),
    "chuc_nang_nhiem_vu": ("mandate",),
    "dia_chi": ("address",),
    "ma_can_bo": ("person_code",),
    "ho_ten": ("full_name",),
    "email": ("e_mail",),
    "dien_thoai": ("phone",),
    "vai_tro": ("role",),
    "chuc_danh": ("title",),
}
REQUIRED_COLUMNS = ("loai_dong", "ma_don_vi")
UNIT_COLUMNS = ("ten_don_vi", "loai_don_vi")
PERSON_COLUMNS = ("ma_can_bo", "ho_ten", "vai_tro")
TEMPLATE_COLUMNS = [
    "loai_dong",
    "ma_don_vi",
    "ten_don_vi",
    "ten_viet_tat",
    "loai_don_vi",
    "ma_don_vi_cap_tren",
    "chuc_nang_nhiem_vu",
    "dia_chi",
    "ma_can_bo",
    "ho_ten",
    "email",
    "dien_thoai",
    "vai_tro",
    "chuc_danh",
]
ROW_TYPES = {
    "unit": ROW_UNIT,
    "don vi": ROW_UNIT,
    "person": ROW_PERSON,
    "can bo": ROW_PERSON,
}


@dataclass
class ImportResult:
    filename: str
    sha256: str
    units_created: int
    persons_created: int
    positions_created: int
    unit_codes: list[str] = field(default_factory=list)
    person_codes: list[str] = field(default_factory=list)
    event_seq: int | None = None


@dataclass
class _Row:
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class _Problems:
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: int, column: str, reason: str) -> None:
        self.rows.append({"row": row, "column": column, "reason": reason})


def _fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: "Đơn vị" → "don vi"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().replace("_", " ").split())


def _choice_map(choices: Iterable[tuple[str, StrOrPromise]]) -> dict[str, str]:
    """Value and Vietnamese label → value. The labels are translatable; the file's are
    Vietnamese (its columns are), whatever language the reader's pages are in."""
    mapping: dict[str, str] = {}
    with translation.override("vi"):
        for value, label in choices:
            mapping[_fold(value)] = value
            mapping[_fold(str(label))] = value
    return mapping


KIND_BY_TEXT = _choice_map(UnitKind.choices)
ROLE_BY_TEXT = _choice_map(Role.choices)
HEADER_BY_TEXT = {
    _fold(alias): name for name, aliases in COLUMNS.items() for alias in (name, *aliases)
}


# --------------------------------------------------------------------------------------------
# reading


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_rows(data: bytes, filename: str) -> Iterator[list[str]]:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise DomainError(
                "import.bad_file",
                _("Không đọc được tệp Excel %(filename)s.") % {"filename": filename},
                field="file",
            ) from exc
        try:
            sheet = workbook.worksheets[0]
            for cells in sheet.iter_rows(values_only=True):
                yield [_cell(value) for value in cells]
        finally:
            workbook.close()
        return
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DomainError(
                "import.bad_encoding",
                _(
                    "Tệp %(filename)s không phải văn bản UTF-8: hãy lưu lại dưới dạng "
                    "“CSV UTF-8 (Comma delimited)”."
                )
                % {"filename": filename},
                field="file",
            ) from exc
        first_line = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count) if first_line else ","
        for fields in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [_cell(value) for value in fields]
        return
    raise DomainError(
        "import.unsupported_file",
        _("Chỉ nhận tệp .xlsx hoặc .csv (tệp gửi lên: %(filename)s).") % {"filename": filename},
        field="file",
    )


def parse_rows(data: bytes, filename: str) -> list[_Row]:
    rows = _read_rows(data, filename)
    header_cells = next(rows, None)
    while header_cells is not None and not any(header_cells):
        header_cells = next(rows, None)  # pragma: no cover - leading blank lines are rare
    if header_cells is None:
        raise DomainError(
            "import.empty",
            _("Tệp %(filename)s không có dữ liệu.") % {"filename": filename},
            field="file",
        )
    problems = _Problems()
    columns: list[str | None] = []
    for index, header in enumerate(header_cells, start=1):
        if not header:
            columns.append(None)
            continue
        name = HEADER_BY_TEXT.get(_fold(header))
        if name is None:
            problems.add(
                1,
                header,
                _("Cột “%(header)s” (cột %(index)s) không có trong mẫu.")
                % {"header": header, "index": index},
            )
        elif name in columns:
            problems.add(1, header, _("Cột “%(header)s” bị lặp.") % {"header": header})
        columns.append(name)
    for required in REQUIRED_COLUMNS:
        if required not in columns:
            problems.add(1, required, _("Thiếu cột “%(required)s”.") % {"required": required})
    if problems.rows:
        raise DomainError(
            "import.wrong_columns",
            _("Các cột của tệp không đúng mẫu: %(problems)s")
            % {"problems": "; ".join(problem["reason"] for problem in problems.rows)},
            field="file",
            details={"rows": problems.rows},
        )
    parsed: list[_Row] = []
    for number, cells in enumerate(rows, start=2):
        if not any(cells):
            continue
        values = {
            column: cells[index]
            for index, column in enumerate(columns)
            if column is not None and index < len(cells)
        }
        parsed.append(_Row(number, values))
    if not parsed:
        raise DomainError(
            "import.empty",
            _("Tệp %(filename)s không có dòng dữ liệu.") % {"filename": filename},
            field="file",
        )
    present = {column for column in columns if column}
    kinds = {ROW_TYPES.get(_fold(row.get("loai_dong"))) for row in parsed}
    missing = [c for c in UNIT_COLUMNS if ROW_UNIT in kinds and c not in present]
    missing += [c for c in PERSON_COLUMNS if ROW_PERSON in kinds and c not in present]
    if missing:
        raise DomainError(
            "import.wrong_columns",
            _("Tệp thiếu cột: %(missing)s.") % {"missing": ", ".join(missing)},
            field="file",
            details={
                "rows": [{"row": 1, "column": c, "reason": f"Thiếu cột “{c}”."} for c in missing]
            },
        )
    return parsed


# --------------------------------------------------------------------------------------------
# checking


def _existing(model: type[Unit] | type[Person], codes: Iterable[str]) -> dict[str, Any]:
    codes = list(codes)
    found: dict[str, Any] = {}
    for start in range(0, len(codes), CHUNK):
        for obj in model.objects.filter(code__in=codes[start : start + CHUNK]):
            found[obj.code] = obj
    return found


def _max_length(model: type[Unit] | type[Person] | type[Position], name: str) -> int:
    return model._meta.get_field(name).max_length or 255  # type: ignore[union-attr]


@dataclass
class ImportPlan:
    units: list[_Row]  # parents before children
    persons: list[_Row]
    db_units: dict[str, Unit]
    decision: Decision | None


def check_plan(actor: Person, rows: list[_Row], parent: Unit | None) -> ImportPlan:
    problems = _Problems()
    day = today()
    unit_rows: list[_Row] = []
    person_rows: list[_Row] = []
    for row in rows:
        row_type = ROW_TYPES.get(_fold(row.get("loai_dong")))
        if row_type == ROW_UNIT:
            unit_rows.append(row)
        elif row_type == ROW_PERSON:
            person_rows.append(row)
        else:
            problems.add(
                row.number,
                "loai_dong",
                _("Loại dòng “%(kind)s” không hợp lệ: ghi “unit” hoặc “person”.")
                % {"kind": row.get("loai_dong")},
            )

    # units: codes, names, kinds
    file_units: dict[str, _Row] = {}
    for row in unit_rows:
        code = row.get("ma_don_vi")
        if not code:
            problems.add(row.number, "ma_don_vi", _("Thiếu mã đơn vị."))
        elif len(code) > _max_length(Unit, "code"):
            problems.add(row.number, "ma_don_vi", _("Mã đơn vị quá dài."))
        elif code in file_units:
            problems.add(
                row.number,
                "ma_don_vi",
                _("Mã đơn vị “%(code)s” trùng với dòng %(number)s.")
                % {"code": code, "number": file_units[code].number},
            )
        else:
            file_units[code] = row
        name = row.get("ten_don_vi")
        if not name:
            problems.add(row.number, "ten_don_vi", _("Thiếu tên đơn vị."))
        elif len(name) > _max_length(Unit, "name"):
            problems.add(row.number, "ten_don_vi", _("Tên đơn vị quá dài."))
        if len(row.get("ten_viet_tat")) > _max_length(Unit, "short_name"):
            problems.add(row.number, "ten_viet_tat", _("Tên viết tắt quá dài."))
        if len(row.get("dia_chi")) > _max_length(Unit, "address"):
            problems.add(row.number, "dia_chi", _("Địa chỉ quá dài."))
        kind_text = row.get("loai_don_vi")
        kind = KIND_BY_TEXT.get(_fold(kind_text))
        if kind is None:
            problems.add(
                row.number,
                "loai_don_vi",
                _("Loại đơn vị “%(kind_text)s” không có trong danh mục.")
                % {"kind_text": kind_text},
            )
        else:
            row.values["loai_don_vi"] = kind

    referenced = {row.get("ma_don_vi_cap_tren") for row in unit_rows}
    referenced |= {row.get("ma_don_vi") for row in person_rows}
    referenced.discard("")
    in_db = _existing(Unit, set(file_units) | referenced)
    for code, row in file_units.items():
        if code in in_db:
            problems.add(
                row.number,
                "ma_don_vi",
                _("Mã đơn vị “%(code)s” đã có trong hệ thống.") % {"code": code},
            )
    db_units: dict[str, Unit] = {
        code: unit for code, unit in in_db.items() if code not in file_units
    }

    # parents and cycles
    decisions: dict[int, Decision] = {}

    def allowed(unit: Unit) -> bool:
        if unit.pk not in decisions:
            decisions[unit.pk] = authority.check(actor, Power.REGISTRY_IMPORT, unit)
        return bool(decisions[unit.pk])

    root_decision: Decision | None = None
    for row in unit_rows:
        parent_code = row.get("ma_don_vi_cap_tren")
        if not parent_code:
            if parent is None and root_decision is None:
                try:
                    root_decision = authority.require_root_creator(actor)
                except DomainError as exc:
                    problems.add(row.number, "ma_don_vi_cap_tren", exc.message)
            continue
        if parent_code == row.get("ma_don_vi"):
            problems.add(
                row.number, "ma_don_vi_cap_tren", _("Đơn vị không thể là cấp trên của mình.")
            )
        elif parent_code in file_units:
            continue
        elif parent_code in db_units:
            unit = db_units[parent_code]
            if not unit.is_active_on(day):
                problems.add(
                    row.number,
                    "ma_don_vi_cap_tren",
                    _("Đơn vị cấp trên “%(parent_code)s” không còn hiệu lực.")
                    % {"parent_code": parent_code},
                )
            elif not allowed(unit):
                problems.add(row.number, "ma_don_vi_cap_tren", decisions[unit.pk].reason)
        else:
            problems.add(
                row.number,
                "ma_don_vi_cap_tren",
                _("Không tìm thấy đơn vị cấp trên “%(parent_code)s” trong tệp hay trong hệ thống.")
                % {"parent_code": parent_code},
            )
    order = _topological(file_units, problems)

    # people
    file_persons: dict[str, _Row] = {}
    heads: dict[str, _Row] = {}
    for row in person_rows:
        code = row.get("ma_can_bo")
        if not code:
            problems.add(row.number, "ma_can_bo", _("Thiếu mã cán bộ."))
        elif len(code) > _max_length(Person, "code"):
            problems.add(row.number, "ma_can_bo", _("Mã cán bộ quá dài."))
        elif code in file_persons:
            problems.add(
                row.number,
                "ma_can_bo",
                _("Mã cán bộ “%(code)s” trùng với dòng %(number)s.")
                % {"code": code, "number": file_persons[code].number},
            )
        else:
            file_persons[code] = row
        full_name = row.get("ho_ten")
        if not full_name:
            problems.add(row.number, "ho_ten", _("Thiếu họ và tên."))
        elif len(full_name) > _max_length(Person, "full_name"):
            problems.add(row.number, "ho_ten", _("Họ và tên quá dài."))
        email = row.get("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.add(
                    row.number,
                    "email",
                    _("Địa chỉ thư “%(email)s” không hợp lệ.") % {"email": email},
                )
        if len(row.get("dien_thoai")) > _max_length(Person, "phone"):
            problems.add(row.number, "dien_thoai", _("Số điện thoại quá dài."))
        if len(row.get("chuc_danh")) > _max_length(Position, "title"):
            problems.add(row.number, "chuc_danh", _("Chức danh quá dài."))
        role_text = row.get("vai_tro")
        role = ROLE_BY_TEXT.get(_fold(role_text))
        if role is None:
            problems.add(
                row.number,
                "vai_tro",
                _("Vai trò “%(role_text)s” không có trong danh mục.") % {"role_text": role_text},
            )
        else:
            row.values["vai_tro"] = role
        unit_code = row.get("ma_don_vi")
        if not unit_code:
            problems.add(row.number, "ma_don_vi", _("Thiếu mã đơn vị công tác."))
        elif unit_code in db_units:
            unit = db_units[unit_code]
            if not unit.is_active_on(day):
                problems.add(
                    row.number,
                    "ma_don_vi",
                    _("Đơn vị “%(unit_code)s” không còn hiệu lực.") % {"unit_code": unit_code},
                )
            elif not allowed(unit):
                problems.add(row.number, "ma_don_vi", decisions[unit.pk].reason)
        elif unit_code not in file_units:
            problems.add(
                row.number,
                "ma_don_vi",
                _("Không tìm thấy đơn vị “%(unit_code)s” trong tệp hay trong hệ thống.")
                % {"unit_code": unit_code},
            )
        if role == Role.HEAD and unit_code:
            if unit_code in heads:
                problems.add(
                    row.number,
                    "vai_tro",
                    _(
                        "Đơn vị “%(unit_code)s” có hai người đứng đầu (dòng %(first_row)s "
                        "và dòng %(second_row)s)."
                    )
                    % {
                        "unit_code": unit_code,
                        "first_row": heads[unit_code].number,
                        "second_row": row.number,
                    },
                )
            else:
                heads[unit_code] = row
    for code in _existing(Person, file_persons):
        row = file_persons[code]
        problems.add(
            row.number,
            "ma_can_bo",
            _("Mã cán bộ “%(code)s” đã có trong hệ thống.") % {"code": code},
        )
    db_head_units = [db_units[code].pk for code in heads if code in db_units]
    if db_head_units:
        taken = set(
            Position.objects.filter(
                unit_id__in=db_head_units, role=Role.HEAD, valid_to__isnull=True
            ).values_list("unit__code", flat=True)
        )
        for code in taken:
            problems.add(
                heads[code].number,
                "vai_tro",
                _(
                    "Đơn vị “%(code)s” đã có người đứng đầu trong hệ thống; "
                    "dùng “Thay người đứng đầu”."
                )
                % {"code": code},
            )

    if problems.rows:
        problems.rows.sort(key=lambda problem: (problem["row"], problem["column"]))
        count = len({problem["row"] for problem in problems.rows})
        raise DomainError(
            "import.invalid",
            _(
                "Tệp có %(count)s dòng sai, chưa nhập gì. Dòng đầu tiên sai: dòng "
                "%(row)s (%(reason)s)"
            )
            % {
                "count": count,
                "row": problems.rows[0]["row"],
                "reason": problems.rows[0]["reason"],
            },
            field="file",
            details={"rows": problems.rows},
        )
    decision = next(iter(decisions.values()), None) or root_decision
    return ImportPlan(units=order, persons=person_rows, db_units=db_units, decision=decision)


def _topological(file_units: dict[str, _Row], problems: _Problems) -> list[_Row]:
    """File units, every parent before its children; each unit of a cycle is reported."""
    order: list[_Row] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for start in file_units:
        if start in state:
            continue
        chain: list[str] = []
        code: str | None = start
        while code is not None and code in file_units and code not in state:
            state[code] = 1
            chain.append(code)
            parent_code = file_units[code].get("ma_don_vi_cap_tren")
            code = parent_code if parent_code and parent_code != code else None
        if code is not None and state.get(code) == 1:
            cycle = chain[chain.index(code) :]
            path = " → ".join([*cycle, code])
            for member in cycle:
                problems.add(
                    file_units[member].number,
                    "ma_don_vi_cap_tren",
                    _("Vòng lặp đơn vị cấp trên: %(path)s.") % {"path": path},
                )
        for member in reversed(chain):
            state[member] = 2
            order.append(file_units[member])
    return order


@translation.override("vi")  # the file's columns and labels are Vietnamese, see _choice_map
def write_template(path: str | Path) -> Path:
    """Write a sample .xlsx with the expected columns, example rows and a list of values."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "co_cau_to_chuc"
    sheet.append(TEMPLATE_COLUMNS)
    examples = [
        {
            "loai_dong": "unit",
            "ma_don_vi": "SO-NV",
            "ten_don_vi": "Sở Nội vụ",
            "ten_viet_tat": "SNV",
            "loai_don_vi": str(UnitKind.DEPARTMENT.label),
            "chuc_nang_nhiem_vu": "Tham mưu về tổ chức bộ máy, công chức, viên chức.",
        },
        {
            "loai_dong": "unit",
            "ma_don_vi": "SO-NV-TCBM",
            "ten_don_vi": "Phòng Tổ chức bộ máy",
            "loai_don_vi": str(UnitKind.DIVISION.label),
            "ma_don_vi_cap_tren": "SO-NV",
        },
        {
            "loai_dong": "person",
            "ma_don_vi": "SO-NV",
            "ma_can_bo": "CB-0001",
            "ho_ten": "Nguyễn Văn An",
            "email": "an.nv@example.gov.vn",
            "vai_tro": str(Role.HEAD.label),
            "chuc_danh": "Giám đốc Sở",
        },
        {
            "loai_dong": "person",
            "ma_don_vi": "SO-NV-TCBM",
            "ma_can_bo": "CB-0002",
            "ho_ten": "Trần Thị Bình",
            "vai_tro": str(Role.OFFICER.label),
            "chuc_danh": "Chuyên viên",
        },
    ]
    for example in examples:
        sheet.append([example.get(column, "") for column in TEMPLATE_COLUMNS])
    values = workbook.create_sheet("danh_muc")
    values.append(["loai_don_vi", "vai_tro"])
    kinds = [str(label) for _, label in UnitKind.choices]
    roles = [str(label) for _, label in Role.choices]
    for index in range(max(len(kinds), len(roles))):
        values.append(
            [kinds[index] if index < len(kinds) else "", roles[index] if index < len(roles) else ""]
        )
    target = Path(path)
    workbook.save(target)
    return target


__all__ = ["ImportPlan", "ImportResult", "check_plan", "parse_rows", "write_template"]
