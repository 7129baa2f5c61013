"""Small template helpers of the Baro pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from baro.org.authority import power_label

register = template.Library()


@register.filter
def power_labels(powers: Iterable[str]) -> list[str]:
    """The Vietnamese labels of a delegation's powers."""
    return [power_label(p) for p in powers or []]


@register.filter
def short_hash(value: str, length: int = 12) -> str:
    return f"{value[:length]}…" if value and len(value) > length else value
