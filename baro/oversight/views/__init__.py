"""Pages of oversight (/giam-sat/): thin views over baro.oversight.queries and services.

index.py        the index: what the person may read and do here
flags.py        "Dấu hiệu né tránh": the flags, one flag, confirming or dismissing it
inspections.py  "Kiểm tra": inspections from planning to conclusion and handling
record.py       "Hồ sơ trách nhiệm": a head's record
tasks.py        the third panel of the task page (htmx), and urging a task by hand
letters.py      "Công văn đôn đốc": composing, reading and downloading urging letters
ladder.py       "Thang đôn đốc": the ladder of the installation and of one directive
common.py       what the pages share (breadcrumbs, links, the confirmation step)

Who may see is decided by baro.oversight.permissions (a `*_get_for_actor` answers the 404 page
for anything else), who may act by the services, run through baro.core.pages.form_command: a
refusal of authority is the 403 page with its reason, bad input goes back next to its field
with status 400, and nothing changes.
"""

from __future__ import annotations

from baro.oversight.views.flags import flag_decide, flag_detail, flag_list, flag_to_inspection
from baro.oversight.views.index import index
from baro.oversight.views.inspections import (
    inspection_conclude,
    inspection_detail,
    inspection_evidence,
    inspection_findings,
    inspection_handling,
    inspection_list,
    inspection_open,
    inspection_people_options,
)
from baro.oversight.views.ladder import ladder_directive, ladder_installation
from baro.oversight.views.letters import (
    letter_compose,
    letter_detail,
    letter_docx,
    letter_list,
    letter_pdf,
)
from baro.oversight.views.record import record, record_of
from baro.oversight.views.tasks import task_panel, task_urge

__all__ = [
    "flag_decide",
    "flag_detail",
    "flag_list",
    "flag_to_inspection",
    "index",
    "inspection_conclude",
    "inspection_detail",
    "inspection_evidence",
    "inspection_findings",
    "inspection_handling",
    "inspection_list",
    "inspection_open",
    "inspection_people_options",
    "ladder_directive",
    "ladder_installation",
    "letter_compose",
    "letter_detail",
    "letter_docx",
    "letter_list",
    "letter_pdf",
    "record",
    "record_of",
    "task_panel",
    "task_urge",
]
