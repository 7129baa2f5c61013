"""Units: create, describe, move, close and merge.

Who may create a root unit (parent=None): Baro's system actor, or someone holding
registry.manage over an existing root (an installation administrator). Nobody else: a root is
outside every subtree, so no lower power can reach it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext

from baro.core.errors import ConflictError, DomainError
from baro.core.run import command
from baro.core.timeutil import format_date, today
from baro.ledger.services import record_action
from baro.org import authority
from baro.org.authority import Decision
from baro.org.models import (
    PATH_SEGMENT_WIDTH,
    Person,
    Position,
    SuccessionKind,
    Unit,
    UnitSuccession,
)
from baro.org.permissions import require_manage
from baro.org.queries import subtree_q
from baro.org.services._shared import (
    OBJ_UNIT,
    PATH_MAX_LENGTH,
    clean,
    ensure_active_unit,
    ensure_kind,
    locked_unit,
    required,
    unit_path,
    unit_state,
)
from baro.org.succession import carried_payload, carry_over, refuse_open_work


def new_unit_row(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    short_name: str,
    mandate: str,
    address: str,
    valid_from: dt.date | None,
) -> Unit:
    """Check and insert a unit under a locked `parent` (or a root), with its path.

    No authority and no event: unit_create and bootstrap_installation do both, each its own way.
    """
    valid_from = valid_from or today()
    code = required(code, "code", gettext("mã đơn vị"))
    name = required(name, "name", gettext("tên đơn vị"))
    ensure_kind(kind)
    if parent is not None:
        ensure_active_unit(parent, valid_from, "parent")
    if Unit.objects.filter(code=code).exists():
        raise ConflictError(
            "org.unit_code_taken",
            gettext("Mã đơn vị “%(code)s” đã được dùng.") % {"code": code},
            field="code",
        )
    if parent is not None and len(parent.path) + PATH_SEGMENT_WIDTH + 1 > PATH_MAX_LENGTH:
        raise DomainError("org.unit_too_deep", gettext("Cây đơn vị quá sâu."), field="parent")
    unit = Unit(
        code=code,
        name=name,
        short_name=short_name.strip(),
        kind=kind,
        parent=parent,
        path="",
        depth=0 if parent is None else parent.depth + 1,
        mandate=mandate,
        address=address,
        valid_from=valid_from,
    )
    clean(unit, exclude=["path", "parent"])
    try:
        with transaction.atomic():
            unit.save(force_insert=True)
    except IntegrityError as exc:
        raise ConflictError(
            "org.unit_code_taken",
            gettext("Mã đơn vị “%(code)s” đã được dùng.") % {"code": code},
            field="code",
        ) from exc
    unit.path = unit_path(parent.path if parent else "", unit.pk)
    unit.save(update_fields=["path"])
    return unit


@command
def unit_create(
    *,
    actor: Person,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    mandate: str = "",
    address: str = "",
    valid_from: dt.date | None = None,
) -> Unit:
    """Create a unit under `parent` (or a root: see the module docstring)."""
    if parent is None:
        decision = authority.require_root_creator(actor)
    else:
        decision = require_manage(actor, parent)
        parent = locked_unit(parent)
    unit = new_unit_row(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        short_name=short_name,
        mandate=mandate,
        address=address,
        valid_from=valid_from,
    )
    record_action(
        actor=actor,
        decision=decision,
        action="org.unit.created",
        object_type=OBJ_UNIT,
        object_id=unit.pk,
        payload={"before": None, "after": unit_state(unit)},
    )
    return unit


@command
def unit_update(
    *,
    actor: Person,
    unit: Unit,
    name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    mandate: str | None = None,
    address: str | None = None,
) -> Unit:
    """Change a unit's descriptive fields (registry.manage over the unit)."""
    decision = require_manage(actor, unit)
    unit = locked_unit(unit)
    before = unit_state(unit)
    changed: list[str] = []
    if name is not None:
        unit.name = required(name, "name", gettext("tên đơn vị"))
        changed.append("name")
    if short_name is not None:
        unit.short_name = short_name.strip()
        changed.append("short_name")
    if kind is not None:
        unit.kind = ensure_kind(kind)
        changed.append("kind")
    if mandate is not None:
        unit.mandate = mandate
        changed.append("mandate")
    if address is not None:
        unit.address = address
        changed.append("address")
    if not changed:
        raise DomainError("org.nothing_to_change", gettext("Không có thay đổi nào."))
    clean(unit, exclude=["parent"])
    unit.save(update_fields=changed)
    record_action(
        actor=actor,
        decision=decision,
        action="org.unit.updated",
        object_type=OBJ_UNIT,
        object_id=unit.pk,
        payload={"before": before, "after": unit_state(unit), "fields": changed},
    )
    return unit


@command
def unit_move(*, actor: Person, unit: Unit, new_parent: Unit) -> Unit:
    """Move `unit` (and its whole subtree) under `new_parent`.

    Needs registry.manage over the old parent (over the unit itself if it was a root) and over
    the new parent. The subtree's paths and depths are rewritten by one UPDATE.
    """
    unit = locked_unit(unit)
    old_parent = unit.parent
    decision = require_manage(actor, old_parent if old_parent is not None else unit)
    decision_new = require_manage(actor, new_parent)
    new_parent = locked_unit(new_parent)
    day = today()
    ensure_active_unit(unit, day, "unit")
    ensure_active_unit(new_parent, day, "new_parent")
    if new_parent.path.startswith(unit.path):
        raise DomainError(
            "org.unit_cycle",
            gettext(
                "Không thể chuyển %(unit)s vào %(new_parent)s: "
                "đơn vị cấp trên mới nằm trong chính cây đơn vị được chuyển."
            )
            % {"unit": unit.name, "new_parent": new_parent.name},
            field="new_parent",
        )
    if new_parent.pk == unit.parent_id:
        raise DomainError(
            "org.nothing_to_change",
            gettext("%(unit)s đã trực thuộc %(new_parent)s.")
            % {"unit": unit.name, "new_parent": new_parent.name},
            field="new_parent",
        )
    old_path = unit.path
    new_path = unit_path(new_parent.path, unit.pk)
    subtree = Unit.objects.filter(subtree_q(old_path))
    deepest = subtree.aggregate(m=models.Max(models.functions.Length("path")))["m"] or 0
    if deepest - len(old_path) + len(new_path) > PATH_MAX_LENGTH:
        raise DomainError("org.unit_too_deep", gettext("Cây đơn vị quá sâu."), field="new_parent")
    before = unit_state(unit)
    delta = new_parent.depth + 1 - unit.depth
    moved = subtree.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    record_action(
        actor=actor,
        decision=decision if decision.on_behalf_of_ref else decision_new,
        action="org.unit.moved",
        object_type=OBJ_UNIT,
        object_id=unit.pk,
        payload={
            "before": before,
            "after": unit_state(unit),
            "old_parent_id": old_parent.pk if old_parent else None,
            "new_parent_id": new_parent.pk,
            "units_moved": moved,
        },
    )
    return unit


def _close_one(
    *,
    actor: Person,
    unit: Unit,
    on: dt.date,
    successor: Unit | None,
    kind: str,
    decision_ref: str,
    note: str,
) -> tuple[Decision, dict[str, Any]]:
    """Close `unit` on `on` (no event): returns the authority decision and the change."""
    decision = require_manage(actor, unit.parent if unit.parent is not None else unit)
    unit = locked_unit(unit)
    if unit.valid_to is not None and unit.valid_to <= today():
        raise DomainError(
            "org.unit_closed",
            gettext("Đơn vị %(unit)s đã hết hiệu lực.") % {"unit": unit.name},
            field="unit",
        )
    if on <= unit.valid_from:
        raise DomainError(
            "org.unit_close_before_start",
            gettext(
                "Ngày kết thúc phải sau ngày đơn vị %(unit)s bắt đầu hiệu lực (%(valid_from)s)."
            )
            % {"unit": unit.name, "valid_from": format_date(unit.valid_from)},
            field="on",
        )
    active_children = Unit.objects.filter(parent=unit).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
    if active_children.exists():
        names = ", ".join(active_children.values_list("name", flat=True)[:5])
        raise DomainError(
            "org.unit_has_children",
            gettext(
                "Đơn vị %(unit)s còn đơn vị trực thuộc đang hoạt động (%(names)s): "
                "chuyển hoặc kết thúc chúng trước."
            )
            % {"unit": unit.name, "names": names},
            field="unit",
        )
    if successor is not None:
        if successor.pk == unit.pk or successor.path.startswith(unit.path):
            raise DomainError(
                "org.successor_invalid",
                gettext("Đơn vị kế thừa không được là chính đơn vị hay đơn vị trực thuộc của nó."),
                field="successor",
            )
        ensure_active_unit(successor, on, "successor")
    kind = kind or SuccessionKind.DISSOLVED
    if kind not in SuccessionKind.values:
        raise DomainError(
            "org.succession_kind_invalid",
            gettext("Hình thức “%(kind)s” không hợp lệ.") % {"kind": kind},
            field="kind",
        )
    current = Position.objects.select_for_update().filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on), unit=unit
    )
    positions = list(current)
    if any(position.valid_from >= on for position in positions):
        raise DomainError(
            "org.unit_close_future_positions",
            gettext("Đơn vị %(unit)s có chức vụ bắt đầu từ ngày %(on)s trở đi.")
            % {"unit": unit.name, "on": format_date(on)},
            field="on",
        )
    before = unit_state(unit)
    unit.valid_to = on
    unit.save(update_fields=["valid_to"])
    ended = [position.pk for position in positions]
    Position.objects.filter(pk__in=ended).update(
        valid_to=on, end_reason=f"Đơn vị kết thúc hoạt động ngày {format_date(on)}"
    )
    succession_id = None
    if successor is not None:
        succession = UnitSuccession.objects.create(
            predecessor=unit,
            successor=successor,
            kind=kind,
            effective_on=on,
            decision_ref=decision_ref,
            note=note,
        )
        succession_id = succession.pk
    change = {
        "unit_id": unit.pk,
        "before": before,
        "after": unit_state(unit),
        "positions_ended": ended,
        "successor_id": successor.pk if successor else None,
        "succession_id": succession_id,
        "kind": kind,
        "decision_ref": decision_ref,
        "note": note,
    }
    return decision, change


@command
def unit_close(
    *,
    actor: Person,
    unit: Unit,
    on: dt.date,
    successor: Unit | None = None,
    kind: str = SuccessionKind.DISSOLVED,
    decision_ref: str = "",
    note: str = "",
) -> Unit:
    """Close (dissolve) a unit on `on`; its current positions end that day.

    Refuses a unit that still has active children (`org.unit_has_children`). With a successor,
    records the succession and carries the unit's open work over to it, as unit_merge does
    (baro.org.succession; listed in the one event). Without one, refuses while the unit has
    open work (`org.unit_has_open_work`, listing it): nobody would hold power over it.
    """
    decision, change = _close_one(
        actor=actor,
        unit=unit,
        on=on,
        successor=successor,
        kind=kind,
        decision_ref=decision_ref,
        note=note,
    )
    if successor is not None:
        change.update(carried_payload(carry_over([unit], successor, on), successor))
    else:
        refuse_open_work(unit)
    record_action(
        actor=actor,
        decision=decision,
        action="org.unit.closed",
        object_type=OBJ_UNIT,
        object_id=unit.pk,
        payload=change,
    )
    unit.refresh_from_db()
    return unit


@command
def unit_merge(
    *, actor: Person, units: Sequence[Unit], into: Unit, on: dt.date, decision_ref: str = ""
) -> Unit:
    """Merge `units` into `into` on `on`: each closes with `into` as successor (one event).

    Whatever is still open at the merged units moves to `into` in the same transaction, so no
    task is left led by a closed unit: each area above org says what is open and carries it
    (baro.org.succession; work: open tasks led or assigned by them, their open disputes,
    coordinator roles and unanswered requests, pending extensions kept pending; cascade: plans
    and deployments not yet done). The event lists every object carried (`refs`), so each
    task's history shows the merger. What cannot be carried (say, a dispute between a merged
    unit and `into` itself) refuses the whole merger, listing all of it, and nothing is written.

    Not carried, on purpose: what is closed (completed or cancelled tasks, decided disputes,
    deployed plans) stays with the unit that did it, so its record and scores stay its own; and
    oversight's flags, urgings, inspections and handling decisions, which are about the conduct
    of the merged unit and its head before the merger: they stay on that unit, where its
    superiors' inspectors still reach them, rather than becoming the successor's record.
    """
    decision = require_manage(actor, into)
    if not units:
        raise DomainError(
            "org.merge_empty", gettext("Chưa chọn đơn vị để hợp nhất."), field="units"
        )
    if len({unit.pk for unit in units}) != len(units):
        raise DomainError(
            "org.merge_duplicate", gettext("Một đơn vị được chọn hai lần."), field="units"
        )
    changes = []
    for unit in units:
        _, change = _close_one(
            actor=actor,
            unit=unit,
            on=on,
            successor=into,
            kind=SuccessionKind.MERGED,
            decision_ref=decision_ref,
            note="",
        )
        changes.append(change)
    carried = carry_over(list(units), into, on)
    record_action(
        actor=actor,
        decision=decision,
        action="org.unit.merged",
        object_type=OBJ_UNIT,
        object_id=into.pk,
        payload={
            "into_id": into.pk,
            "on": on,
            "decision_ref": decision_ref,
            "merged": changes,
            **carried_payload(carried, into),
        },
    )
    into.refresh_from_db()
    return into
