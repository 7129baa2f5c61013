"""The import's write half: a checked file's units, people and positions, bulk-inserted.

Reading and checking the file is baro.org.importer's (parse_rows, check_plan); org_import is the
one command, so the whole file is written, with its one ledger event, or nothing is.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from baro.core.errors import DomainError
from baro.core.run import command
from baro.core.timeutil import today
from baro.ledger.services import record_event
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.importer import CHUNK, ImportPlan, ImportResult, check_plan, parse_rows
from baro.org.models import Person, Position, Unit
from baro.org.permissions import require_import_anywhere
from baro.org.services._shared import OBJ_IMPORT, unit_path


def _import_write(plan: ImportPlan, parent: Unit | None) -> tuple[list[Unit], list[Person], int]:
    day = today()
    by_code: dict[str, Unit] = dict(plan.db_units)
    pending = list(plan.units)
    created: list[Unit] = []
    while pending:  # one level at a time: parents exist before their children are inserted
        level = [
            row
            for row in pending
            if not row.get("ma_don_vi_cap_tren") or row.get("ma_don_vi_cap_tren") in by_code
        ]
        assert level, "the plan is acyclic"
        objs = []
        for row in level:
            parent_code = row.get("ma_don_vi_cap_tren")
            up = by_code[parent_code] if parent_code else parent
            objs.append(
                Unit(
                    code=row.get("ma_don_vi"),
                    name=row.get("ten_don_vi"),
                    short_name=row.get("ten_viet_tat"),
                    kind=row.get("loai_don_vi"),
                    parent=up,
                    path="",
                    depth=0 if up is None else up.depth + 1,
                    mandate=row.get("chuc_nang_nhiem_vu"),
                    address=row.get("dia_chi"),
                    valid_from=day,
                )
            )
        objs = Unit.objects.bulk_create(objs, batch_size=CHUNK)
        for obj in objs:
            obj.path = unit_path(obj.parent.path if obj.parent else "", obj.pk)
            by_code[obj.code] = obj
        Unit.objects.bulk_update(objs, ["path"], batch_size=CHUNK)
        created.extend(objs)
        done = {id(row) for row in level}
        pending = [row for row in pending if id(row) not in done]
    persons = Person.objects.bulk_create(
        [
            Person(
                full_name=row.get("ho_ten"),
                code=row.get("ma_can_bo"),
                email=row.get("email"),
                phone=row.get("dien_thoai"),
            )
            for row in plan.persons
        ],
        batch_size=CHUNK,
    )
    positions = Position.objects.bulk_create(
        [
            Position(
                person=person,
                unit=by_code[row.get("ma_don_vi")],
                role=row.get("vai_tro"),
                title=row.get("chuc_danh"),
                valid_from=day,
            )
            for person, row in zip(persons, plan.persons, strict=True)
        ],
        batch_size=CHUNK,
    )
    return created, persons, len(positions)


@command
def org_import(
    *, actor: Person, data: bytes, filename: str, parent: Unit | None = None
) -> ImportResult:
    """Import a whole file of units and people, or nothing (see baro.org.importer).

    registry.import over `parent` (or anywhere, for a file of roots); one event for the file.
    """
    decision: Decision | None = None
    if parent is not None:
        decision = authority.require(actor, Power.REGISTRY_IMPORT, parent)
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        if not parent.is_active_on(today()):
            raise DomainError(
                "org.unit_inactive",
                _("Đơn vị %(parent)s không còn hiệu lực.") % {"parent": parent.name},
                field="parent",
            )
    else:  # a file of roots, or of units under parents named in it: check_plan decides each
        require_import_anywhere(actor)
    rows = parse_rows(data, filename)
    plan = check_plan(actor, rows, parent)
    units, persons, positions = _import_write(plan, parent)
    digest = hashlib.sha256(data).hexdigest()
    decision = decision or plan.decision
    event = record_event(
        actor=actor.ledger_ref,
        action="org.import.completed",
        object_type=OBJ_IMPORT,
        object_id=digest,
        on_behalf_of=decision.on_behalf_of_ref if decision else "",
        payload={
            "filename": filename,
            "sha256": digest,
            "parent_id": parent.pk if parent else None,
            "counts": {
                "units": len(units),
                "persons": len(persons),
                "positions": positions,
                "rows": len(rows),
            },
            "unit_codes": [unit.code for unit in units],
            "person_codes": [person.code for person in persons],
        },
    )
    return ImportResult(
        filename=filename,
        sha256=digest,
        units_created=len(units),
        persons_created=len(persons),
        positions_created=positions,
        unit_codes=[unit.code for unit in units],
        person_codes=[person.code for person in persons],
        event_seq=event.seq,
    )
