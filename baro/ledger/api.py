"""REST endpoints of the ledger (/api/v1/ledger/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Sổ cái"])
