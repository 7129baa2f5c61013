"""The avoidance detectors (Công điện 280/CĐ-TTg 19/4/2023, Nghị quyết 97/NQ-CP 2023): signs
that a unit or an official avoids, pushes away or sits on work, raised as flags (baro.oversight
models.Flag) for an inspector or the superior to confirm or dismiss.

The worker calls `run_detectors(day, actor=system)` once per pass. Each detector

- finds its candidates with one set-based query (two for the consultation detector, a few
  aggregates for the extension rate) that already leaves out every subject flagged before, by
  an anti-join on oversight_flag.dedupe_key (unique, so each probe is one index lookup): a pass
  over a million open tasks reads only what could still be new, never loops over tasks in
  Python;
- drives that query from the smallest table that can hold a match (disputes for bounces,
  approved extensions for extensions, the ledger's `work.task.returned` events for returns,
  overdue or zero-progress tasks through the indexes of work_task and of migration 0002);
- then, 500 candidates at a time (the rows, events and people they name are loaded in bulk),
  raises each flag through `baro.oversight.services.flag_raise`: one command, one
  transaction, one `oversight.flag.raised` ledger event and the inspectors' notifications per
  flag, with evidence rows pointing at the ledger events and tasks behind it. A flag another
  worker raised meanwhile is not counted (flag_raise returns None, or the unique key refuses
  the second insert on PostgreSQL).

The rules, one module each named for the rule, in the order a pass runs them (each module's
docstring says exactly what it flags, whom, with which evidence and its settings; "open" = not
completed nor cancelled):

bounced                    a unit that refused BARO_FLAG_BOUNCES tasks decided to be its own
                           (within BARO_FLAG_BOUNCE_WINDOW_DAYS), or an open task disputed
                           across more than BARO_FLAG_BOUNCE_UNITS units
not_accepted               still waiting for acceptance after BARO_FLAG_ACCEPT_WORKING_DAYS
                           working days
repeated_extensions        extended BARO_FLAG_EXTENSIONS times or more
extension_rate             a unit's share of extended tasks above BARO_FLAG_RATE_FACTOR times
                           its siblings' median (BARO_FLAG_RATE_*), once a quarter
repeated_returns           results sent back BARO_FLAG_RETURNS times or more
guidance_within_authority  guidance asked on a matter within the unit's own authority, or
                           asked again after it was answered
coordinator_silent         an input request unanswered past its due date (silence = agreement)
coordinator_vague          an answer the lead marked as giving no clear position
needless_consultation      the same question asked of a coordinator again, or more than
                           BARO_FLAG_MAX_CONSULTED units consulted on one task
urged_still_overdue        overdue after more than BARO_URGINGS_BEFORE_LEADERSHIP urgings
overdue_not_updated        overdue and no progress report for BARO_NOT_UPDATED_DAYS days
stalled_at_zero            at 0% past BARO_FLAG_STALLED_PERCENT_OF_TIME percent of its time

The settings are read at each pass with getattr (defaults in common.DEFAULTS), so a test or an
administrator changes them without a code change. What every rule uses (the settings, the SQL
pieces, the bulk loading of tasks, events, units and heads, raising a flag) is in common.py.

A new rule is a module here defining `DETECTOR = Detector(name, detect_<name>, kinds,
description)`, and its name in RULES.
"""

from __future__ import annotations

import datetime as dt
import logging
from importlib import import_module

from baro.org.models import Person
from baro.oversight.detectors.common import Detector

logger = logging.getLogger(__name__)

__all__ = ["DETECTORS", "RULES", "Detector", "run_detectors"]

# The rules' modules, in the order a pass runs them.
RULES: tuple[str, ...] = (
    "bounced",
    "not_accepted",
    "repeated_extensions",
    "extension_rate",
    "repeated_returns",
    "guidance_within_authority",
    "coordinator_silent",
    "coordinator_vague",
    "needless_consultation",
    "urged_still_overdue",
    "overdue_not_updated",
    "stalled_at_zero",
)

DETECTORS: tuple[Detector, ...] = tuple(
    import_module(f"{__name__}.{rule}").DETECTOR for rule in RULES
)


def run_detectors(day: dt.date, *, actor: Person, raise_errors: bool = False) -> int:
    """Run every detector for `day`; the number of flags raised now.

    A detector that fails is logged and the others still run (one broken rule must not stop
    the rest of the worker's pass); `raise_errors` re-raises the first failure after all ran,
    for tests and `--once` diagnostics.
    """
    raised = 0
    failure: Exception | None = None
    for detector in DETECTORS:
        try:
            raised += detector.run(day, actor=actor)
        except Exception as exc:  # logged, the pass goes on
            logger.exception("detector %s failed", detector.name)
            failure = failure or exc
    if failure is not None and raise_errors:
        raise failure
    return raised
