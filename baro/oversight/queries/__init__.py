"""Reads of oversight, always scoped to the acting person (the pages and the API ask here).

Who may see what, and the one fetch of a flag, an inspection, a letter or a record for an actor
(`*_get_for_actor`), are in baro.oversight.permissions; these modules build on its scopes.

flags.py        the flags an inspector or a head reads, their counts and evidence
inspections.py  inspections, their evidence and handling decisions, whom they may name
record.py       a person's responsibility record (hồ sơ trách nhiệm)
ladder.py       the ladder of the installation, of a directive, of a task
tasks.py        one task's oversight (the third panel of the task page)
letters.py      urging letters, their content for the renderer, what composing one proposes
common.py       what the modules share (the units a filter offers)
"""

from __future__ import annotations

from baro.oversight.queries.common import CHOICE_LIMIT
from baro.oversight.queries.flags import (
    FlagFilters,
    flag_evidence,
    flag_filter_units,
    flag_list,
    flag_status_counts,
    inspections_open_for_flag,
)
from baro.oversight.queries.inspections import (
    InspectionFilters,
    evidence_flag_candidates,
    inspection_evidence,
    inspection_filter_units,
    inspection_handlings,
    inspection_list,
    inspection_people,
    inspection_target_units,
    inspection_task_search,
    inspection_units,
    inspection_years,
)
from baro.oversight.queries.ladder import ladder_of_directive, ladder_of_installation, task_ladder
from baro.oversight.queries.letters import (
    LetterFilters,
    default_letter_opening,
    default_letter_place,
    letter_candidate_tasks,
    letter_content,
    letter_filter_units,
    letter_list,
    letter_signers,
    letter_units,
    letter_urgings,
    next_letter_number,
    signer_positions,
)
from baro.oversight.queries.record import (
    HeadTenure,
    ResponsibilityRecord,
    heads_a_unit,
    responsibility_record,
)
from baro.oversight.queries.tasks import StepRow, TaskOversight, task_oversight, task_urgings

__all__ = [
    "CHOICE_LIMIT",
    "FlagFilters",
    "HeadTenure",
    "InspectionFilters",
    "LetterFilters",
    "ResponsibilityRecord",
    "StepRow",
    "TaskOversight",
    "default_letter_opening",
    "default_letter_place",
    "evidence_flag_candidates",
    "flag_evidence",
    "flag_filter_units",
    "flag_list",
    "flag_status_counts",
    "heads_a_unit",
    "inspection_evidence",
    "inspection_filter_units",
    "inspection_handlings",
    "inspection_list",
    "inspection_people",
    "inspection_target_units",
    "inspection_task_search",
    "inspection_units",
    "inspection_years",
    "inspections_open_for_flag",
    "ladder_of_directive",
    "ladder_of_installation",
    "letter_candidate_tasks",
    "letter_content",
    "letter_filter_units",
    "letter_list",
    "letter_signers",
    "letter_units",
    "letter_urgings",
    "next_letter_number",
    "responsibility_record",
    "signer_positions",
    "task_ladder",
    "task_oversight",
    "task_urgings",
]
