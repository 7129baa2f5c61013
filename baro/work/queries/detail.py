"""Reads about one task or directive (its page, its open dispute, its pending extension)."""

from __future__ import annotations

from baro.work.models import Dispute, DisputeStatus, Extension, ExtensionStatus, Task

__all__ = ["open_dispute", "pending_extension"]


def open_dispute(task: Task) -> Dispute | None:
    """The task's open ownership dispute, if any (at most one: a database constraint)."""
    return (
        Dispute.objects.filter(task=task, status=DisputeStatus.OPEN)
        .select_related("decider_unit", "proposed_unit", "refusing_unit")
        .first()
    )


def pending_extension(task: Task) -> Extension | None:
    """The task's extension request waiting for a decision, if any (at most one)."""
    return Extension.objects.filter(task=task, status=ExtensionStatus.REQUESTED).first()
