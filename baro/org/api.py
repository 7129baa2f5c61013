"""REST endpoints of the organisation registry (/api/v1/org/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Cơ cấu tổ chức"])
