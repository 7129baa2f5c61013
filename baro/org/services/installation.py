"""The first set-up of an installation: its root unit and its administrator."""

from __future__ import annotations

import datetime as dt

from baro.core.run import command
from baro.ledger.services import record_action
from baro.org.models import Person, Role, UnitKind, system_person
from baro.org.services._shared import OBJ_UNIT, person_state, position_state, unit_state
from baro.org.services.people import new_person_row
from baro.org.services.units import new_unit_row


@command
def bootstrap_installation(
    *,
    root_name: str,
    root_code: str,
    admin_username: str,
    admin_password: str,
    admin_full_name: str,
    root_kind: str = UnitKind.PROVINCE,
    admin_code: str | None = None,
    root_valid_from: dt.date | None = None,
) -> Person:
    """First set-up, as Baro's system actor: a root unit and its administrator (ADMIN position).

    One command, one event (`org.installation.bootstrapped`) holding both the unit and the
    administrator, so an installation's ledger starts with a single, complete founding record.
    The system actor holds every power, so there is no authority to ask.
    """
    system = system_person()
    root = new_unit_row(
        code=root_code,
        name=root_name,
        kind=root_kind,
        parent=None,
        short_name="",
        mandate="",
        address="",
        valid_from=root_valid_from,
    )
    admin, position = new_person_row(
        unit=root,
        full_name=admin_full_name,
        code=admin_code or f"{root_code}-admin",
        email="",
        phone="",
        username=admin_username,
        password=admin_password,
        role=Role.ADMIN,
        title="Quản trị hệ thống",
        valid_from=root_valid_from,
    )
    assert position is not None, "an administrator is appointed with the person"
    record_action(
        actor=system,
        decision=None,
        action="org.installation.bootstrapped",
        object_type=OBJ_UNIT,
        object_id=root.pk,
        payload={
            "unit": unit_state(root),
            "admin": person_state(admin),
            "username": admin_username,
            "position": position_state(position),
        },
    )
    return admin
