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
