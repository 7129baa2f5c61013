"""The numbers of the story's documents, shared by its plots."""

from __future__ import annotations

D24 = "24-CT/TU"
CITY_PLAN = "KH-UBND"
FINANCE_PLAN = "KH-STC"

CITY_PLAN_NUMBER = "187/KH-UBND"
FINANCE_PLAN_NUMBER = "45/KH-STC"
