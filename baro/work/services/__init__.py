"""Commands of directives and tasks: the only code that changes them.

Like baro.org.services, every command is keyword-only, takes the acting `actor: Person`, runs
as a `@command` (transaction.atomic; the entry point begins the transaction: baro.core.run
.run_command; one command may call another and stay one transaction), authorises first,
re-reads the task with select_for_update, checks the transitions map (baro.work.rules),
validates (DomainError with a stable code, a Vietnamese message and the field at fault),
writes, and appends exactly one ledger event `work.<noun>.<verb>` with the before/after of the
change. The one exception is attachment_add, which owns its commit (see its docstring).

directives.py   register a directive with its task groups
assignment.py   assign a task, split off a subtask, the deadline a rule gives
lead.py         the lead side: accept, refuse, report progress, submit, ask for an extension
assigner.py     the assigner side: approve, return, cancel, decide an extension
disputes.py     decide an ownership dispute
lines.py        change an assignment line (who may make whom the lead: baro.work.lines)
carry.py        carry a merged unit's open work to its successor (no command: org's merger)
collab.py       coordinator inputs and guidance requests
attachments.py  attach a file (what is accepted: baro.work.uploads)
common.py       what they share: the locked task, state snapshots, the task's save

Who may do what (the checks themselves: baro.work.permissions):
- register a directive: directive.register or directive.issue over the issuing unit;
- assign: task.assign over the assigning unit, and a lead the assignment lines allow it
  (baro.work.lines: a government body to government bodies below it, a Party committee to the
  political system at its level and below…), every coordinator at its level or below; one
  assigns through the unit one holds power in;
- change an assignment line: registry.manage over a root unit (lines.py);
- accept, refuse, report, submit, ask for an extension (the lead side): task.handle over the
  lead unit, or being the task's named officer (not for accept and refuse: taking or refusing
  the task is the unit's decision, not the officer's; and nothing before the unit accepted);
- approve, return, decide an extension, cancel (the assigner side): the assigner, or
  task.approve (task.assign for cancel) over the assigning unit;
- decide a dispute: only the current head of the lowest common superior, or a person that head
  delegated dispute.decide to (the event then names the head as on_behalf_of);
- consult (inputs, guidance) and attach files: see collab.py and attachments.py;
- split off a subtask: task.assign over the parent's lead unit, to a unit below it.
"""

from __future__ import annotations

from baro.work.services.assigner import extension_decide, task_approve, task_cancel, task_return
from baro.work.services.assignment import (
    CoordinatorSpec,
    compute_deadline,
    subtask_assign,
    task_assign,
)
from baro.work.services.attachments import attachment_add
from baro.work.services.collab import (
    guidance_answer,
    guidance_request,
    input_answer,
    input_mark_unclear,
    input_request,
)
from baro.work.services.directives import directive_register
from baro.work.services.disputes import dispute_decide
from baro.work.services.lead import (
    DISPUTE_DECISION_WORKING_DAYS,
    dispute_decision_working_days,
    extension_request,
    task_accept,
    task_refuse,
    task_report_progress,
    task_submit,
)
from baro.work.services.lines import assignment_line_set

__all__ = [
    "DISPUTE_DECISION_WORKING_DAYS",
    "CoordinatorSpec",
    "assignment_line_set",
    "attachment_add",
    "compute_deadline",
    "directive_register",
    "dispute_decide",
    "dispute_decision_working_days",
    "extension_decide",
    "extension_request",
    "guidance_answer",
    "guidance_request",
    "input_answer",
    "input_mark_unclear",
    "input_request",
    "subtask_assign",
    "task_accept",
    "task_approve",
    "task_assign",
    "task_cancel",
    "task_refuse",
    "task_report_progress",
    "task_return",
    "task_submit",
]
