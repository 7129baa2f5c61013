"""The task page's collaboration panels: coordinator inputs, guidance requests, attachments,
subtasks and their roll-up. Read by the task page (baro/work/views/tasks.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from baro.org.models import Person
from baro.work.models import Task

__all__ = ["task_extras"]


def task_extras(*, task: Task, actor: Person, today: dt.date) -> dict[str, Any]:
    """Everything the panels in work/_task_extras.html need, keyed by panel."""
    return {}
