"""Reads of urging letters: the list, one letter's urgings and its content as the renderer
(baro.oversight.letters) takes it, and what the composing page proposes (units, tasks, number,
place, opening, signers)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from baro.core.timeutil import format_date, now, today
from baro.org.models import Delegation, Person, Position, Role, Unit, UnitKind
from baro.org.queries import active_on, subtree_q
from baro.oversight.letters import LetterContent, LetterTask, standard_recipients
from baro.oversight.models import Urging, UrgingLetter
from baro.oversight.permissions import (
    LETTER_READ_POWERS,
    letters_visible,
    may_issue_letters,
    scope_roots,
)
from baro.oversight.queries.common import page_units
from baro.work.models import DirectiveKind, Task, TaskStatus


@dataclass(frozen=True)
class LetterFilters:
    unit: Unit | None = None
    year: int | None = None
    text: str = ""


def letter_list(*, actor: Person, filters: LetterFilters | None = None) -> QuerySet[UrgingLetter]:
    filters = filters or LetterFilters()
    qs = letters_visible(actor)
    if filters.unit is not None:
        qs = qs.filter(subtree_q(filters.unit.path, prefix="issuing_unit__"))
    if filters.year:
        qs = qs.filter(issued_on__year=filters.year)
    text = filters.text.strip()
    if text:
        qs = qs.filter(Q(number_symbol__icontains=text) | Q(subject__icontains=text))
    return qs.order_by("-issued_on", "-pk")


def letter_urgings(letter: UrgingLetter) -> list[Urging]:
    """The letter's urgings, one per task it cited, in the order they were cited; each with its
    task and the deadline the task had when the letter was issued."""
    return list(
        Urging.objects.filter(letter=letter)
        .select_related(
            "task__lead_unit", "task__directive__issuing_unit", "task__officer", "target_unit"
        )
        .order_by("pk")
    )


def letter_filter_units(actor: Person) -> list[Unit]:
    return page_units(scope_roots(actor, *LETTER_READ_POWERS))


def _is_party(unit: Unit) -> bool:
    kinds = Unit.objects.filter(pk__in=unit.ancestor_ids).values_list("kind", flat=True)
    return UnitKind.PARTY_COMMITTEE in set(kinds)


def _addressees(issuing: Unit, leads: Sequence[Unit]) -> dict[int, Unit]:
    """To whom a letter of `issuing` writes about a task each of `leads` leads, by lead id: a
    division (phòng) is written to through the body it belongs to, the department or commune
    that answers for it (the nearest unit above it that is not a division), never above the
    units `issuing` directs; a division of `issuing` itself is written to as it is."""
    ancestor_ids = {pk for lead in leads for pk in lead.ancestor_ids}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ancestor_ids)}
    found: dict[int, Unit] = {}
    for lead in leads:
        to = lead
        if lead.kind == UnitKind.DIVISION:
            for pk in reversed(lead.ancestor_ids[:-1]):
                above = units[pk]
                if above.pk == issuing.pk or not above.path.startswith(issuing.path):
                    break
                if above.kind != UnitKind.DIVISION:
                    to = above
                    break
        found[lead.pk] = to
    return found


def assigning_document(task: Task) -> str:
    """The 'Văn bản giao' of a letter's row: the directive the task (or the task it was split
    from) carries out, "Chỉ thị số 24-CT/TU ngày 07/8/2023"; a task assigned in Baro without
    a document is cited by its number and the day it was assigned."""
    current: Task | None = task
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        directive = current.directive
        if directive is not None:
            return (
                f"{DirectiveKind(directive.kind).label} số {directive.number_symbol} ngày "
                f"{format_date(directive.signed_on)}"
            )
        current = (
            Task.objects.select_related("directive").filter(pk=current.parent_id).first()
            if current.parent_id is not None
            else None
        )
    return f"Giao trên Baro ngày {format_date(task.assigned_on)} (nhiệm vụ số {task.pk})"


def letter_content(letter: UrgingLetter, urgings: Sequence[Urging] | None = None) -> LetterContent:
    """The letter as its renderer takes it (baro.oversight.letters): what was stored when it was
    issued, and each urged task with the deadline it had then, so the document is the same
    every time it is downloaded."""
    urgings = urgings if urgings is not None else letter_urgings(letter)
    unit = letter.issuing_unit
    parent = unit.parent
    superior = (
        parent.name.upper()
        if parent is not None and parent.kind not in (UnitKind.PROVINCE, UnitKind.CENTRAL)
        else ""
    )
    addressed = _addressees(unit, [urging.task.lead_unit for urging in urgings])
    addressees: list[str] = []
    rows = []
    for urging in urgings:
        task = urging.task
        to = addressed[task.lead_unit_id]
        if to.name not in addressees:
            addressees.append(to.name)
        lead = (
            task.lead_unit.name
            if to.pk == task.lead_unit_id
            else (f"{task.lead_unit.name} ({to.name})")
        )
        rows.append(
            LetterTask(
                title=task.title,
                lead_unit=lead,
                deadline=urging.deadline,
                days_overdue=max((letter.issued_on - urging.deadline).days, 0),
                expected_output=task.expected_output,
                source=assigning_document(task),
            )
        )
    return LetterContent(
        party=_is_party(unit),
        superior_body=superior,
        issuing_body=unit.name.upper(),
        number_symbol=letter.number_symbol,
        place=letter.place,
        issued_on=letter.issued_on,
        subject=letter.subject,
        addressees=tuple(addressees),
        opening=letter.opening,
        tasks=tuple(rows),
        reply_by=letter.reply_by,
        closing=letter.closing,
        signer_mark=letter.signer_mark,
        signer_position=letter.signer_position,
        signer_name=letter.signer.full_name,
        recipients=tuple(standard_recipients(letter.recipients, letter.number_symbol).splitlines()),
        report_to=unit.name,
    )


def letter_units(actor: Person) -> list[Unit]:
    """Units that `actor` may issue urging letters for: their own units (positions and
    delegations) over which they hold task.assign, tree order."""
    day, at = today(), now()
    own = {
        p.unit for p in Position.objects.filter(active_on(day), person=actor).select_related("unit")
    }
    own |= {
        d.unit
        for d in Delegation.objects.filter(
            delegate=actor, valid_from__lte=at, valid_to__gt=at, revoked_at__isnull=True
        ).select_related("unit")
    }
    return sorted(
        (u for u in own if u.is_active_on(day) and may_issue_letters(actor, u)),
        key=lambda u: u.path,
    )


def letter_candidate_tasks(
    unit: Unit, *, text: str = "", overdue_only: bool = True, day: dt.date | None = None
) -> QuerySet[Task]:
    """Open tasks led within `unit`'s subtree (by default only the overdue ones), the most
    overdue first: what an urging letter of `unit` may cite."""
    day = day or today()
    qs = Task.objects.filter(
        subtree_q(unit.path, prefix="lead_unit__"),
        status__in=[TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS],
    ).select_related("lead_unit", "directive")
    if overdue_only:
        qs = qs.filter(deadline__lt=day)
    text = text.strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(lead_unit__name__icontains=text))
    return qs.order_by("deadline", "pk")


def next_letter_number(unit: Unit, day: dt.date | None = None) -> str:
    """The proposed number of the unit's next letter this year: "12/ĐĐ-STC"."""
    day = day or today()
    count = UrgingLetter.objects.filter(issuing_unit=unit, issued_on__year=day.year).count()
    return f"{count + 1}/ĐĐ-{unit.short_name or unit.code}"


_PLACE_PREFIXES = re.compile(r"^(thành phố|tỉnh|tp\.?)\s+", re.IGNORECASE)


def default_letter_place(unit: Unit) -> str:
    """The place line's default: the root unit's name without "Thành phố"/"Tỉnh" ("Hà Nội")."""
    root_id = unit.ancestor_ids[0] if unit.ancestor_ids else unit.pk
    root = unit if root_id == unit.pk else Unit.objects.filter(pk=root_id).first() or unit
    return _PLACE_PREFIXES.sub("", root.name).strip() or root.name


def default_letter_opening(tasks: Sequence[Task], unit: Unit) -> str:
    """ "Thực hiện Chỉ thị số 24-CT/TU ngày 07/8/2023 của …, …": the directives the tasks
    carry out, then what the letter is about."""
    cited: list[str] = []
    seen: set[int] = set()
    for task in tasks:
        directive = task.directive
        if directive is None or directive.pk in seen:
            continue
        seen.add(directive.pk)
        cited.append(
            f"{DirectiveKind(directive.kind).label} số {directive.number_symbol} ngày "
            f"{format_date(directive.signed_on)} của {directive.issuing_unit.name}"
        )
    basis = f"Thực hiện {'; '.join(cited)}, " if cited else ""
    lead = "t" if cited else "T"
    day = today()
    late = ", đã quá thời hạn" if tasks and all(t.deadline < day for t in tasks) else ""
    return (
        f"{basis}{lead}heo dõi trên Hệ thống Baro, đến nay các nhiệm vụ dưới đây do {unit.name} "
        f"và các đơn vị trực thuộc chủ trì vẫn chưa hoàn thành{late}."
    )


def letter_signers(unit: Unit, actor: Person) -> list[tuple[Person, str]]:
    """Who may sign a letter of `unit`: the actor if they hold task.assign there, and the
    unit's current leaders (head first), each with the position title to print."""
    day = today()
    found: dict[int, tuple[Person, str]] = {}
    leaders = (
        Position.objects.filter(active_on(day), unit=unit, role__in=[Role.HEAD, Role.DEPUTY])
        .select_related("person")
        .order_by("role", "person__full_name")
    )
    if may_issue_letters(actor, unit):
        own = next((p for p in leaders if p.person_id == actor.pk), None)
        title = own.title or own.get_role_display() if own else ""
        found[actor.pk] = (actor, title)
    for position in leaders:
        if position.person_id not in found:
            found[position.person_id] = (
                position.person,
                position.title or position.get_role_display(),
            )
    return list(found.values())


def signer_positions(unit: Unit, signer: Person) -> tuple[Position | None, Position | None]:
    """The signer's position in `unit` today and, when it is a deputy's, the head's (for whom a
    deputy signs "KT."); (None, None) when the signer holds none there."""
    day = today()
    own = Position.objects.filter(active_on(day), unit=unit, person=signer).order_by("role").first()
    if own is None or own.role != Role.DEPUTY:
        return own, None
    head = (
        Position.objects.filter(active_on(day), unit=unit, role=Role.HEAD)
        .order_by("-valid_from")
        .first()
    )
    return own, head
