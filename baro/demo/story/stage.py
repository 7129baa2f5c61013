"""The stage of the story: who plays, when each scene happens, and the commands they use.

A plot is a generator: it yields the moment of its next scene (`At(days_ago…)`), and the code
after the yield is that scene, played through the real service commands at that moment. The
director runs every plot interleaved in time order (a heap of next moments), so that the whole
story, whatever plot a scene belongs to, reaches the ledger in chronological order.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from baro.demo.story.clock import StoryClock
from baro.org.models import Person, Position, Role, Unit
from baro.org.queries import active_on, unit_head
from baro.work import services
from baro.work.models import (
    Directive,
    Dispute,
    DisputeStatus,
    Extension,
    ExtensionStatus,
    Task,
    TaskGroup,
)
from baro.workdays.calendar import is_working_day, working_day_on_or_after


@dataclass(frozen=True)
class At:
    """A scene's moment: `days` from today (negative: in the past), at hour:minute local time.

    The day is moved back to the nearest working day on or before it: offices act on working
    days, and moving back never puts a scene in the future.
    """

    days: int
    hour: int = 8
    minute: int = 0


Plot = Callable[["Stage"], Iterator[At]]


def working_day_on_or_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


class Stage:
    """What every plot shares: the cast, the documents so far, and short forms of the commands.

    Each command re-reads the task first: another plot may have moved it (a dispute decision
    changes its lead), and the services decide on the row as it is now.
    """

    def __init__(self, clock: StoryClock) -> None:
        self.clock = clock
        self.today = timezone.localdate(clock.real_now())
        self.directives: dict[str, Directive] = {}
        self.groups: dict[tuple[str, int], TaskGroup] = {}
        self.tasks: dict[str, int] = {}
        self._units: dict[str, Unit] = {}
        self._people: dict[str, Person] = {}

    # -- time ---------------------------------------------------------------------------------
    def moment(self, at: At, *, spread_minutes: int = 0) -> dt.datetime:
        day = working_day_on_or_before(self.today + dt.timedelta(days=at.days))
        local = dt.datetime.combine(day, dt.time(at.hour, at.minute)) + dt.timedelta(
            minutes=spread_minutes
        )
        return timezone.make_aware(local)

    def day(self, days: int) -> dt.date:
        """The (working) day of a scene `days` from today, as `moment` places it."""
        return working_day_on_or_before(self.today + dt.timedelta(days=days))

    def due(self, days: int) -> dt.date:
        """A deadline `days` from today, on a working day (moved forward if need be)."""
        return working_day_on_or_after(self.today + dt.timedelta(days=days))

    # -- cast ---------------------------------------------------------------------------------
    def unit(self, code: str) -> Unit:
        if code not in self._units:
            self._units[code] = Unit.objects.get(code=code)
        return self._units[code]

    def person(self, username: str) -> Person:
        if username not in self._people:
            self._people[username] = Person.objects.get(user__username=username)
        return self._people[username]

    def head(self, unit_code: str) -> Person:
        position = unit_head(self.unit(unit_code))
        if position is None:
            raise LookupError(f"{unit_code} has no head in the demo city")
        return position.person

    def officer(self, unit_code: str) -> Person:
        """The first officer (by the tree's order) working in `unit_code` or below it."""
        unit = self.unit(unit_code)
        position = (
            Position.objects.filter(
                active_on(self.today), role=Role.OFFICER, unit__path__startswith=unit.path
            )
            .select_related("person")
            .order_by("unit__path", "pk")
            .first()
        )
        if position is None:
            raise LookupError(f"{unit_code} has no officer in the demo city")
        return position.person

    # -- documents ----------------------------------------------------------------------------
    def register(self, key: str, *, actor: Person, groups: list[str], **fields: Any) -> Directive:
        directive = services.directive_register(actor=actor, groups=groups, **fields)
        self.directives[key] = directive
        for group in directive.groups.all():
            self.groups[(key, group.order)] = group
        return directive

    def directive(self, key: str) -> Directive:
        if key not in self.directives:
            raise LookupError(f"directive {key!r} is used before the scene that registers it")
        return self.directives[key]

    def task(self, key: str) -> Task:
        return Task.objects.select_related("lead_unit").get(pk=self.tasks[key])

    # -- commands -----------------------------------------------------------------------------
    def assign(
        self,
        key: str,
        *,
        actor: str,
        assigning: str,
        lead: str,
        directive: str | None = None,
        group: int | None = None,
        officer: Person | None = None,
        coordinators: tuple[tuple[str, str, int | None], ...] = (),
        **fields: Any,
    ) -> Task:
        """Assign task `key`; coordinators are (unit code, part, sub-deadline in days or None)."""
        document = self.directive(directive) if directive else None
        task = services.task_assign(
            actor=self.person(actor),
            assigning_unit=self.unit(assigning),
            lead_unit=self.unit(lead),
            directive=document,
            group=self.groups[(directive, group)] if directive and group else None,
            officer=officer,
            coordinators=[
                (self.unit(code), part, None if days is None else self.due(days))
                for code, part, days in coordinators
            ],
            **fields,
        )
        self.tasks[key] = task.pk
        return task

    def lead_head(self, key: str) -> Person:
        return self.head(self.task(key).lead_unit.code)

    def worker(self, key: str) -> Person:
        """Who reports on the task: its officer, else the head of its lead unit."""
        task = self.task(key)
        return task.officer if task.officer is not None else self.head(task.lead_unit.code)

    def accept(self, key: str) -> None:
        services.task_accept(actor=self.lead_head(key), task=self.task(key))

    def refuse(self, key: str, *, proposed: str, reason: str) -> None:
        services.task_refuse(
            actor=self.lead_head(key),
            task=self.task(key),
            reason=reason,
            proposed_unit=self.unit(proposed),
        )

    def decide(self, key: str, *, unit: str, reason: str) -> None:
        dispute = Dispute.objects.select_related("decider_unit").get(
            task_id=self.tasks[key], status=DisputeStatus.OPEN
        )
        services.dispute_decide(
            actor=self.head(dispute.decider_unit.code),
            dispute=dispute,
            unit=self.unit(unit),
            reason=reason,
        )

    def progress(self, key: str, percent: int, text: str, blocker: str = "") -> None:
        services.task_report_progress(
            actor=self.worker(key), task=self.task(key), percent=percent, text=text, blocker=blocker
        )

    def submit(self, key: str, note: str) -> None:
        services.task_submit(actor=self.worker(key), task=self.task(key), note=note)

    def approve(self, key: str, quality: str, effectiveness: str, note: str = "") -> None:
        task = self.task(key)
        services.task_approve(
            actor=task.assigner,
            task=task,
            quality_grade=quality,
            effectiveness_grade=effectiveness,
            note=note,
        )

    def send_back(self, key: str, reason: str) -> None:
        task = self.task(key)
        services.task_return(actor=task.assigner, task=task, reason=reason)

    def ask_extension(self, key: str, *, days: int, reason: str) -> None:
        services.extension_request(
            actor=self.worker(key), task=self.task(key), new_deadline=self.due(days), reason=reason
        )

    def decide_extension(self, key: str, *, approve: bool, note: str = "") -> None:
        task = self.task(key)
        extension = Extension.objects.get(task=task, status=ExtensionStatus.REQUESTED)
        services.extension_decide(
            actor=task.assigner, extension=extension, approve=approve, note=note
        )

    def cancel(self, key: str, reason: str) -> None:
        task = self.task(key)
        services.task_cancel(actor=task.assigner, task=task, reason=reason)


def direct(stage: Stage, plots: list[Plot]) -> None:
    """Play every plot, scene by scene, in the order of their moments.

    Ties go to the plot listed first. Each plot's scenes are spread a few minutes apart from
    the other plots' (by its place in the list), so a day's ledger does not read as if the
    whole city acted in the same second.
    """
    queue: list[tuple[dt.datetime, int, Iterator[At]]] = []

    def schedule(index: int, scenes: Iterator[At], after: dt.datetime | None) -> None:
        nxt = next(scenes, None)
        if nxt is not None:
            moment = stage.moment(nxt, spread_minutes=(index * 7) % 180)
            # A day off moves a scene back to the working day before, which may be the day of
            # the plot's previous scene, at an earlier hour: the later scene then follows it.
            if after is not None and moment < after:
                moment = after
            heapq.heappush(queue, (moment, index, scenes))

    for index, plot in enumerate(plots):
        schedule(index, plot(stage), None)
    while queue:
        moment, index, scenes = heapq.heappop(queue)
        stage.clock.set(moment)
        schedule(index, scenes, moment)
