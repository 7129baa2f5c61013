"""What the page shell offers the signed-in person: which sections the navigation shows and
their positions in force. The decisions come from baro.org.authority."""

from __future__ import annotations

from dataclasses import dataclass

from baro.org import authority
from baro.org import queries as org_queries
from baro.org.authority import Power
from baro.org.models import Person, Position


@dataclass(frozen=True)
class WebPowers:
    """Installation-wide powers that decide which sections the navigation shows."""

    registry_view: bool
    registry_manage: bool
    registry_import: bool
    ledger_read: bool


def web_powers(person: Person) -> WebPowers:
    return WebPowers(
        registry_view=bool(authority.holds_anywhere(person, Power.REGISTRY_VIEW)),
        registry_manage=bool(authority.holds_anywhere(person, Power.REGISTRY_MANAGE)),
        registry_import=bool(authority.holds_anywhere(person, Power.REGISTRY_IMPORT)),
        ledger_read=bool(authority.holds_anywhere(person, Power.LEDGER_READ)),
    )


def current_positions(person: Person) -> list[Position]:
    """The person's positions in force today, most senior role first."""
    return list(
        org_queries.person_positions(person, current_only=True).order_by(
            "unit__depth", "unit__path", "role"
        )
    )
