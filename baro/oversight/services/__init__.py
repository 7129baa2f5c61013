"""Commands of oversight: the only code that changes ladders, urgings, flags and inspections.

Like baro.work.services, every command is keyword-only, takes the acting `actor`, runs in the
transaction its entry point began (baro.core.run.run_command), authorises first
(baro.oversight.permissions), validates (DomainError with a stable `oversight.*` code, a
Vietnamese message and the field at fault), writes, and appends exactly one ledger event.
Notifications are written to the outbox (baro.notify) in the same transaction and delivered by
the worker afterwards, so a failed delivery never blocks a command.

ladder.py       the ladder's configuration; the worker's ladder steps (ladder_step_record)
urgings.py      urging a task by hand; urging letters (công văn đôn đốc)
flags.py        raising a flag (the detectors, the ladder), confirming or dismissing it
inspections.py  inspections, their evidence, findings, conclusion and handling decisions
common.py       what the modules share (ledger object types, input checks)

Who may do what is in baro.oversight.permissions.
"""

from __future__ import annotations

from baro.oversight.ladder import LADDER_STATUSES
from baro.oversight.services.common import (
    OBJ_FLAG,
    OBJ_INSPECTION,
    OBJ_LADDER,
    OBJ_LETTER,
    OBJ_TASK,
)
from baro.oversight.services.flags import EvidenceItem, flag_decide, flag_raise
from baro.oversight.services.inspections import (
    handling_decide,
    inspection_add_evidence,
    inspection_conclude,
    inspection_open,
    inspection_record_findings,
)
from baro.oversight.services.ladder import (
    DisputeCandidate,
    LadderCandidate,
    dispute_ladder_step_record,
    ladder_configure,
    ladder_step_record,
)
from baro.oversight.services.urgings import LetterDraft, task_urge, urging_letter_issue

__all__ = [
    "LADDER_STATUSES",
    "OBJ_FLAG",
    "OBJ_INSPECTION",
    "OBJ_LADDER",
    "OBJ_LETTER",
    "OBJ_TASK",
    "DisputeCandidate",
    "EvidenceItem",
    "LadderCandidate",
    "LetterDraft",
    "dispute_ladder_step_record",
    "flag_decide",
    "flag_raise",
    "handling_decide",
    "inspection_add_evidence",
    "inspection_conclude",
    "inspection_open",
    "inspection_record_findings",
    "ladder_configure",
    "ladder_step_record",
    "task_urge",
    "urging_letter_issue",
]
