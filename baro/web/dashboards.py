"""Reads behind the role home pages, composed from the registry and the ledger.

Each function returns plain data for one section of the home page; none changes anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from baro.core.timeutil import now, today
from baro.org import authority
from baro.org.models import Delegation, Person, Position, Role, Unit

# How long an expired delegation stays on its delegate's home page, with what it no longer allows.
EXPIRED_SHOWN_FOR = dt.timedelta(days=180)


def _active(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def active_units(day: dt.date | None = None) -> QuerySet[Unit]:
    return Unit.objects.filter(_active(day or today()))


def vacant_units(day: dt.date | None = None) -> QuerySet[Unit]:
    """Units in force with no head in office: "khuyết người đứng đầu"."""
    day = day or today()
    heads = Position.objects.filter(_active(day), unit=OuterRef("pk"), role=Role.HEAD)
    return active_units(day).filter(~Exists(heads))


def registry_summary() -> dict[str, Any]:
    day = today()
    vacant = vacant_units(day)
    return {
        "units": active_units(day).count(),
        "people": Person.objects.filter(is_active=True, is_system=False).count(),
        "positions": Position.objects.filter(_active(day)).count(),
        "vacant": vacant.count(),
        "vacant_sample": list(vacant.order_by("depth", "path")[:10]),
        "roots": list(active_units(day).filter(parent__isnull=True)),
    }


def unit_overview(unit: Unit) -> dict[str, Any]:
    """One unit as a head, deputy or secretariat sees it from home."""
    day = today()
    positions = (
        Position.objects.filter(_active(day), unit=unit)
        .select_related("person")
        .order_by("role", "person__full_name")
    )
    return {
        "unit": unit,
        "subtree_size": active_units(day).filter(path__startswith=unit.path).count(),
        "people": positions.values("person").distinct().count(),
        "head": next((p for p in positions if p.role == Role.HEAD), None),
        "deputies": [p for p in positions if p.role == Role.DEPUTY],
        "children": list(active_units(day).filter(parent=unit)[:20]),
    }


def delegations_given(person: Person) -> list[Delegation]:
    moment = now()
    return list(
        Delegation.objects.filter(delegator=person, revoked_at__isnull=True, valid_to__gt=moment)
        .select_related("delegate", "unit")
        .order_by("valid_to")
    )


def delegations_received(person: Person) -> list[Delegation]:
    moment = now()
    return list(
        Delegation.objects.filter(delegate=person, revoked_at__isnull=True, valid_to__gt=moment)
        .select_related("delegator", "unit")
        .order_by("valid_to")
    )


def delegations_expired(person: Person) -> list[dict[str, Any]]:
    """Delegations `person` received that ended (not revoked) in the last EXPIRED_SHOWN_FOR,
    each with what the authority now refuses them that it allowed: the power, and the refusal
    with its reason (the same words a command would answer)."""
    moment = now()
    rows = []
    for delegation in (
        Delegation.objects.filter(
            delegate=person,
            revoked_at__isnull=True,
            valid_to__lte=moment,
            valid_to__gt=moment - EXPIRED_SHOWN_FOR,
        )
        .select_related("delegator", "unit")
        .order_by("-valid_to")
    ):
        refused = []
        for power in delegation.powers:
            decision = authority.check(person, power, delegation.unit, at=moment)
            if not decision:
                note = authority.expired_delegation_note(person, power, delegation.unit, moment)
                refused.append(
                    {"label": authority.power_label(power), "reason": decision.reason + note}
                )
        rows.append({"delegation": delegation, "refused": refused})
    return rows


def public_scope_units(person: Person, positions: list[Position]) -> list[Unit]:
    """Units a Front supervisor watches: the subtrees of their positions, top levels first."""
    day = today()
    scope = Q()
    for position in positions:
        scope |= Q(path__startswith=position.unit.path)
    if not positions:
        return []
    return list(active_units(day).filter(scope).filter(depth__lte=3).order_by("path")[:50])
