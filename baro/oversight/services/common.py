"""What the command modules of oversight share: the ledger's object types, the input checks and
the link a notification carries. The names are the package's own."""

from __future__ import annotations

from functools import partial

from baro.core.validation import clean_fields, required_text

OBJ_TASK = "work.task"
OBJ_DISPUTE = "work.dispute"
OBJ_LADDER = "oversight.ladder"
OBJ_LETTER = "oversight.letter"
OBJ_FLAG = "oversight.flag"
OBJ_INSPECTION = "oversight.inspection"

clean = partial(clean_fields, area="oversight")
required = partial(required_text, area="oversight")


def task_url(task_id: int) -> str:
    """The task's page: the link a notification about it carries."""
    return f"/nhiem-vu/{task_id}/"
