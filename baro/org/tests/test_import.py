from __future__ import annotations

import csv
import io
import time

import pytest
from django.utils import translation
from openpyxl import Workbook

from baro.core.errors import AuthorityError, DomainError
from baro.ledger.models import LedgerEvent
from baro.org import queries
from baro.org.importer import write_template
from baro.org.models import Person, Position, Role, Unit
from baro.org.services import org_import
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.org import World, assert_refused

pytestmark = pytest.mark.django_db

HEADER = [
    "loai_dong",
    "ma_don_vi",
    "ten_don_vi",
    "loai_don_vi",
    "ma_don_vi_cap_tren",
    "chuc_nang_nhiem_vu",
    "ma_can_bo",
    "ho_ten",
    "email",
    "dien_thoai",
    "vai_tro",
    "chuc_danh",
]


def unit_row(code: str, name: str, kind: str, parent: str = "") -> list[str]:
    return ["unit", code, name, kind, parent, "", "", "", "", "", "", ""]


def person_row(code: str, name: str, unit: str, role: str, email: str = "") -> list[str]:
    return ["person", unit, "", "", "", "", code, name, email, "", role, ""]


def to_csv(rows: list[list[str]], *, header: list[str] = HEADER, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode()


def big_file(units: int = 1000, persons: int = 1000) -> list[list[str]]:
    """`units` units in a 4-level tree (children listed BEFORE their parents, to exercise the
    topological order) and `persons` people, one head per unit then officers."""
    rows: list[list[str]] = []
    for i in range(units):
        parent = "" if i < 10 else f"U{(i - 10) // 10:04d}"
        kind = "Sở, ban, ngành" if i < 10 else "division"
        rows.append(unit_row(f"U{i:04d}", f"Đơn vị {i}", kind, parent))
    rows.reverse()
    for j in range(persons):
        role = "Người đứng đầu" if j < units else "officer"
        rows.append(person_row(f"P{j:05d}", f"Cán bộ {j}", f"U{j % units:04d}", role))
    return rows


def test_two_thousand_rows_import_in_one_event(world: World) -> None:
    data = to_csv(big_file(), bom=True)
    seq = last_seq()
    started = time.perf_counter()
    result = org_import(actor=world.admin, data=data, filename="co-cau.csv", parent=world.root)
    elapsed = time.perf_counter() - started
    assert (result.units_created, result.persons_created, result.positions_created) == (
        1000,
        1000,
        1000,
    )
    assert elapsed < 30  # generous; a few seconds on a laptop
    event = one_new_event(seq)
    assert (event.action, event.object_type) == ("org.import.completed", "org.import")
    assert event.payload["counts"]["units"] == 1000
    assert event.payload["sha256"] == result.sha256
    assert len(event.payload["unit_codes"]) == 1000
    leaf = Unit.objects.get(code="U0999")
    assert [u.code for u in queries.ancestors(leaf)] == ["HN", "U0008", "U0098"]
    assert leaf.path == "".join(f"{pk:010d}." for pk in leaf.ancestor_ids)
    assert leaf.depth == 3
    assert queries.subtree(Unit.objects.get(code="U0000")).count() == 1 + 10 + 100
    assert queries.unit_head(leaf).person.code == "P00999"


def test_one_bad_row_imports_nothing_and_names_it(world: World) -> None:
    rows = big_file()
    assert rows[1498][0] == "person"  # spreadsheet row 1500 (header is row 1)
    rows[1498] = person_row("P-BAD", "Cán bộ lỗi", "U0001", "phi hành gia")
    error = assert_refused(
        "import.invalid",
        lambda: org_import(
            actor=world.admin, data=to_csv(rows), filename="co-cau.csv", parent=world.root
        ),
    )
    assert error.details["rows"] == [
        {
            "row": 1500,
            "column": "vai_tro",
            "reason": "Vai trò “phi hành gia” không có trong danh mục.",
        }
    ]
    assert "1500" in error.message


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [unit_row("A", "A", "division"), unit_row("A", "A2", "division")],
            [(3, "ma_don_vi", "trùng với dòng 2")],
        ),
        ([unit_row("SO-B", "Trùng", "division")], [(2, "ma_don_vi", "đã có trong hệ thống")]),
        (
            [unit_row("A", "A", "division", "KHONG-CO")],
            [(2, "ma_don_vi_cap_tren", "Không tìm thấy đơn vị cấp trên")],
        ),
        (
            [unit_row("A", "A", "division", "B"), unit_row("B", "B", "division", "A")],
            [(2, "ma_don_vi_cap_tren", "Vòng lặp"), (3, "ma_don_vi_cap_tren", "Vòng lặp")],
        ),
        ([unit_row("A", "A", "galaxy")], [(2, "loai_don_vi", "không có trong danh mục")]),
        ([unit_row("A", "", "division")], [(2, "ten_don_vi", "Thiếu tên")]),
        (
            [
                unit_row("A", "A", "division"),
                person_row("P1", "Một", "A", "head"),
                person_row("P2", "Hai", "A", "Người đứng đầu"),
            ],
            [(4, "vai_tro", "hai người đứng đầu")],
        ),
        ([person_row("P1", "Một", "SO-A", "head")], [(2, "vai_tro", "đã có người đứng đầu")]),
        (
            [person_row(world_code, "Trùng", "SO-A", "officer") for world_code in ["CB-X"]]
            + [person_row("CB-X", "Lại", "SO-A", "officer")],
            [(3, "ma_can_bo", "trùng với dòng 2")],
        ),
        ([person_row("P1", "Một", "NOWHERE", "officer")], [(2, "ma_don_vi", "Không tìm thấy")]),
        ([person_row("P1", "Một", "HP", "officer")], [(2, "ma_don_vi", "không có quyền")]),
        ([person_row("P1", "Một", "SO-A", "officer", "khong-phai-thu")], [(2, "email", "thư")]),
        ([["robot", "A", "", "", "", "", "", "", "", "", "", ""]], [(2, "loai_dong", "Loại dòng")]),
    ],
    ids=[
        "dup-in-file",
        "dup-in-db",
        "unknown-parent",
        "cycle",
        "unknown-kind",
        "missing-name",
        "two-heads-in-file",
        "head-exists-in-db",
        "dup-person",
        "unknown-unit",
        "unit-out-of-scope",
        "bad-email",
        "bad-row-type",
    ],
)
def test_bad_rows_are_each_named(
    world: World, rows: list[list[str]], expected: list[tuple[int, str, str]]
) -> None:
    error = assert_refused(
        "import.invalid",
        lambda: org_import(
            actor=world.admin, data=to_csv(rows), filename="x.csv", parent=world.root
        ),
    )
    found = error.details["rows"]
    assert [(p["row"], p["column"]) for p in found] == [(r, c) for r, c, _ in expected]
    for problem, (_, _, text) in zip(found, expected, strict=True):
        assert text in problem["reason"]


def test_existing_person_code_is_refused(world: World) -> None:
    error = assert_refused(
        "import.invalid",
        lambda: org_import(
            actor=world.admin,
            data=to_csv([person_row(world.officer.code, "Trùng", "SO-A", "officer")]),
            filename="x.csv",
        ),
    )
    assert error.details["rows"][0]["row"] == 2
    assert "đã có trong hệ thống" in error.details["rows"][0]["reason"]


def test_broken_encoding_is_refused(world: World) -> None:
    # a legacy Windows encoding, as an old Excel "CSV" would save it
    data = to_csv([unit_row("A", "Phòng Tài chính", "division")]).decode().encode("cp1252")
    assert_refused(
        "import.bad_encoding",
        lambda: org_import(actor=world.admin, data=data, filename="x.csv", parent=world.root),
    )


def test_wrong_columns_are_refused(world: World) -> None:
    header = ["loai_dong", "ma_don_vi", "ten", "loai_don_vi"]
    error = assert_refused(
        "import.wrong_columns",
        lambda: org_import(
            actor=world.admin,
            data=to_csv([["unit", "A", "A", "division"]], header=header),
            filename="x.csv",
            parent=world.root,
        ),
    )
    assert error.details["rows"][0]["column"] == "ten"


def test_missing_column_is_refused(world: World) -> None:
    header = ["loai_dong", "ma_don_vi", "loai_don_vi"]
    error = assert_refused(
        "import.wrong_columns",
        lambda: org_import(
            actor=world.admin,
            data=to_csv([["unit", "A", "division"]], header=header),
            filename="x.csv",
            parent=world.root,
        ),
    )
    assert error.details["rows"] == [
        {"row": 1, "column": "ten_don_vi", "reason": "Thiếu cột “ten_don_vi”."}
    ]


def test_english_headers_and_xlsx_are_accepted(world: World, tmp_path: object) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "row_type",
            "unit_code",
            "unit_name",
            "unit_kind",
            "parent_code",
            "person_code",
            "full_name",
            "role",
        ]
    )
    sheet.append(["unit", "NEW-1", "Phòng mới", "Phòng, ban chuyên môn", "SO-B", None, None, None])
    sheet.append(["person", "NEW-1", None, None, None, 1234, "Bùi Thị Hoa", "Chuyên viên"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = org_import(actor=world.admin, data=buffer.getvalue(), filename="a.xlsx")
    assert result.person_codes == ["1234"]
    unit = Unit.objects.get(code="NEW-1")
    assert unit.parent == world.dept_b
    assert Position.objects.get(person__code="1234").role == Role.OFFICER


def test_the_template_imports(world: World, tmp_path: object) -> None:
    path = write_template(tmp_path / "mau.xlsx")  # type: ignore[operator]
    result = org_import(
        actor=world.admin, data=path.read_bytes(), filename="mau.xlsx", parent=world.dept_b
    )
    assert (result.units_created, result.persons_created) == (2, 2)


def test_the_template_made_for_an_english_reader_imports(world: World, tmp_path: object) -> None:
    # The kinds and roles are translatable; the file's labels stay the Vietnamese it reads.
    with translation.override("en"):
        path = write_template(tmp_path / "mau.xlsx")  # type: ignore[operator]
        result = org_import(
            actor=world.admin, data=path.read_bytes(), filename="mau.xlsx", parent=world.dept_b
        )
    assert (result.units_created, result.persons_created) == (2, 2)


def test_import_needs_the_import_power(world: World) -> None:
    data = to_csv([unit_row("A", "A", "division")])
    with pytest.raises(AuthorityError):
        org_import(actor=world.head, data=data, filename="x.csv", parent=world.dept_a)
    with pytest.raises(AuthorityError):
        org_import(actor=world.outsider, data=data, filename="x.csv", parent=world.root)
    assert not LedgerEvent.objects.exists()
    assert not Person.objects.filter(code="A").exists()


def test_an_unsupported_file_is_refused(world: World) -> None:
    with pytest.raises(DomainError) as info:
        org_import(actor=world.admin, data=b"hello", filename="x.txt", parent=world.root)
    assert info.value.code == "import.unsupported_file"
