"""Commands of the organisation registry: the only code that changes units, people, positions,
delegations and API tokens.

units.py         unit_create, unit_update, unit_move, unit_close, unit_merge
people.py        person_create, person_update, position_appoint, position_end, head_replace
delegations.py   delegation_grant, delegation_revoke
tokens.py        api_token_issue, api_token_revoke
installation.py  bootstrap_installation (the root unit and its administrator)
imports.py       org_import (the write half; reading and checking is baro.org.importer's)

Every command is keyword-only, takes the acting `actor: Person`, authorises first (through
baro.org.permissions), re-reads the rows its decision depends on with select_for_update,
validates (DomainError with a stable code, a Vietnamese message and the field at fault), writes,
and appends exactly one ledger event with the before/after of the change.

A command is a `@command` (baro.core.run: transaction.atomic); the transaction begins at the
entry point (a page through form_command, the API, the CLI and the demo through run_command),
so a command built from others' parts (head_replace, unit_merge, bootstrap_installation) stays
one transaction. The parts
they share are the `new_*_row` / `end_position_row` helpers, which check and write rows but
neither ask for authority nor record an event: the command that calls them does both, once.
"""

from __future__ import annotations

from baro.org.services._shared import unit_path
from baro.org.services.delegations import delegation_grant, delegation_revoke
from baro.org.services.imports import org_import
from baro.org.services.installation import bootstrap_installation
from baro.org.services.people import (
    head_replace,
    person_create,
    person_update,
    position_appoint,
    position_end,
)
from baro.org.services.tokens import api_token_issue, api_token_revoke
from baro.org.services.units import unit_close, unit_create, unit_merge, unit_move, unit_update

__all__ = [
    "api_token_issue",
    "api_token_revoke",
    "bootstrap_installation",
    "delegation_grant",
    "delegation_revoke",
    "head_replace",
    "org_import",
    "person_create",
    "person_update",
    "position_appoint",
    "position_end",
    "unit_close",
    "unit_create",
    "unit_merge",
    "unit_move",
    "unit_path",
    "unit_update",
]
