"""Pages of the organisation registry (/to-chuc/): thin views over queries and services.

units.py        the unit list, a unit's page and its children; add, edit, move, close, merge
positions.py    appoint in a unit, replace its head, end a position
people.py       the people list, a person's page, edit them, register someone, appoint from
                their page
tokens.py       API tokens: list, issue (shown once), revoke
delegations.py  delegations one gave or received: list, grant, revoke
imports.py      import a file of units and people

Each view fetches what it shows through a `*_get_for_actor` of baro.org.permissions (what the
person may not see is the 404 page), checks the power for a change there too (else the 403 page
with the authority's reason), parses a form and runs one command through form_command, which
puts a refusal back onto the form next to the field it names; then it redirects with a message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from baro.core.errors import AuthorityError, DomainError
from baro.core.pages import attach_error


def _refused(form: Any, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Only for baro/cascade/views.py, which imports it, until the cascade's pages run their
    commands through form_command too (their own change); no registry page uses it. Delete it
    with that import."""
    if isinstance(error, AuthorityError):
        raise PermissionDenied(error.message)
    attach_error(form, error, aliases)
