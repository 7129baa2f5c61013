"""Task lists scoped to the actor, their filters, the timing status in SQL and the two rates.

Four scopes (Scope): my tasks, my unit's tasks, tasks I assigned, everything under my units.
Each is one indexed query; the filters are Q objects on columns (never Python filtering). A big
list's page is read in (deadline, id) order from work_task_list_order_idx and stops after the
page; a small one goes unit by unit and sorts (see _ForScan). Counts read the covering
lead-unit index, and count_up_to() stops counting past a cap. At a million tasks the first
page of a whole city's overdue tasks takes ~18 ms on both engines (bench/tasks_list.py).

The timing status is computed in SQL by `timing_case()` and filtered by `timing_q()`; both say
exactly what baro.work.rules.timing_status says in Python (a property test compares them on
both engines), and "not updated" likewise follows rules.not_updated.

Text search folds case and Vietnamese accents on both engines ("ha noi" finds "Hà Nội",
"DD" finds "đđ"): PostgreSQL through the built-in translate() (no extension needed), SQLite
through a small function registered on each connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from baro.core.errors import DomainError
from baro.core.ids import id_from_text
from baro.core.text import Fold, fold_text
from baro.core.timeutil import format_date, now
from baro.core.timeutil import today as local_today
from baro.org import authority
from baro.org.authority import Power
from baro.org.models import Delegation, Person, Position, Role, Unit
from baro.org.queries import active_on, subtree_q
from baro.work.models import Directive, Task, TaskCoordinator, TaskStatus
from baro.work.rules import OPEN_STATUSES, TimingStatus, not_updated_days

__all__ = [
    "UNDER_ROLES",
    "CompletionRates",
    "Rate",
    "Scope",
    "TaskFilters",
    "TimingCounts",
    "available_scopes",
    "completion_rates",
    "count_up_to",
    "describe_filters",
    "fold_text",
    "not_updated_q",
    "parse_filters",
    "rates_from_counts",
    "task_list",
    "timing_case",
    "timing_counts",
    "timing_q",
    "under_units",
]


class Scope(models.TextChoices):
    MINE = "mine", _("Việc của tôi")
    UNIT = "unit", _("Việc của đơn vị")
    ASSIGNED = "assigned", _("Việc tôi đã giao")
    UNDER = "under", _("Toàn bộ đơn vị cấp dưới")


# Roles whose holders oversee everything below their unit: the leaders who assign and approve,
# the inspectors who check, the secretariat that compiles the reports and the administrators.
# An officer sees their own and their unit's tasks; a Front supervisor watches public matters
# (a later issue), not the internal task list.
UNDER_ROLES = frozenset({Role.HEAD, Role.DEPUTY, Role.INSPECTOR, Role.SECRETARIAT, Role.ADMIN})
# Who answers for a task that has no named officer yet: the head and deputies of its lead unit.
LEAD_ROLES = frozenset({Role.HEAD, Role.DEPUTY})
# Delegated powers that open "under" over the delegation's unit.
UNDER_POWERS = frozenset({Power.TASK_ASSIGN, Power.TASK_APPROVE})


@dataclass(frozen=True)
class TaskFilters:
    """What a list is narrowed to. Empty values filter nothing.

    unit_id   the lead unit or any unit below it (a department's list includes its divisions')
    text      in the title, the description or the directive's number and symbol, ignoring
              case and Vietnamese accents
    """

    timing: str = ""
    not_updated: bool = False
    status: str = ""
    directive_id: int | None = None
    unit_id: int | None = None
    officer_id: int | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return self == TaskFilters()

    def as_params(self) -> dict[str, str]:
        """The GET parameters that parse back to these filters (for links and the export)."""
        params: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value in (None, "", False):
                continue
            if value is True:
                params[field.name] = "1"
            elif isinstance(value, dt.date):
                params[field.name] = value.isoformat()
            else:
                params[field.name] = str(value)
        return params


# --------------------------------------------------------------------------------------------
# the timing status in SQL (one definition, mirrored from rules.timing_status)

_OPEN = sorted(OPEN_STATUSES)


def timing_q(timing: str, today: dt.date, *, status: str = "status") -> Q:
    """The rows whose rules.timing_status(task, today) is `timing` (plain column conditions,
    so the (status, deadline) indexes serve them). `status` names the status column or an
    alias of it (task_list's planner hint)."""
    match timing:
        case TimingStatus.CANCELLED:
            return Q(**{status: TaskStatus.CANCELLED})
        case TimingStatus.COMPLETED_ON_TIME:
            return Q(**{status: TaskStatus.COMPLETED}, completed_on__lte=F("deadline"))
        case TimingStatus.COMPLETED_LATE:
            return Q(**{status: TaskStatus.COMPLETED}, completed_on__gt=F("deadline"))
        case TimingStatus.IN_PROGRESS_ON_TIME:
            # The deadline day itself is still within the deadline.
            return Q(**{f"{status}__in": _OPEN}, deadline__gte=today)
        case TimingStatus.IN_PROGRESS_OVERDUE:
            return Q(**{f"{status}__in": _OPEN}, deadline__lt=today)
    raise ValueError(timing)


def timing_case(today: dt.date) -> Case:
    """The timing status of each row as a SQL expression (values of rules.TimingStatus)."""
    return Case(
        *(When(timing_q(value, today), then=Value(value)) for value in TimingStatus.values),
        output_field=models.CharField(),
    )


def _not_updated_cutoff(today: dt.date, days: int | None) -> tuple[dt.date, dt.datetime]:
    # rules.not_updated: silent when (today - last local date).days > days, i.e. the last
    # report's local date is before today - days, i.e. it happened before local midnight then.
    limit = not_updated_days() if days is None else days
    cutoff_day = today - dt.timedelta(days=limit)
    cutoff_moment = timezone.make_aware(dt.datetime.combine(cutoff_day, dt.time.min))
    return cutoff_day, cutoff_moment


def not_updated_q(today: dt.date, days: int | None = None, *, status: str = "status") -> Q:
    """The rows rules.not_updated(task, today, days) calls "chưa cập nhật tiến độ"."""
    cutoff_day, cutoff_moment = _not_updated_cutoff(today, days)
    return Q(**{f"{status}__in": [TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS]}) & (
        Q(last_progress_at__lt=cutoff_moment)
        | Q(last_progress_at__isnull=True, assigned_on__lt=cutoff_day)
    )


def _not_updated_case(today: dt.date) -> Case:
    return Case(
        When(not_updated_q(today), then=Value(True)),
        default=Value(False),
        output_field=models.BooleanField(),
    )


# --------------------------------------------------------------------------------------------
# accent- and case-insensitive text


def _text_q(text: str) -> Q:
    folded = fold_text(text.strip())
    return (
        Q(fold_title__contains=folded)
        | Q(fold_description__contains=folded)
        | Q(fold_directive__contains=folded)
    )


# --------------------------------------------------------------------------------------------
# scopes


def _current_positions(actor: Person, day: dt.date) -> list[Position]:
    return list(Position.objects.filter(active_on(day), person=actor).select_related("unit"))


def _delegated_under_units(actor: Person) -> list[Unit]:
    """Units over which a delegation in force gives `actor` a power to assign or approve."""
    moment = now()
    units: list[Unit] = []
    delegations = Delegation.objects.filter(
        delegate=actor, valid_from__lte=moment, valid_to__gt=moment, revoked_at__isnull=True
    ).select_related("unit")
    for delegation in delegations:
        if any(
            power in delegation.powers and authority.check(actor, power, delegation.unit)
            for power in UNDER_POWERS
        ):
            units.append(delegation.unit)
    return units


def _outermost(units: list[Unit]) -> list[Unit]:
    """Drop units that lie inside another one's subtree (one path range per subtree)."""
    kept: list[Unit] = []
    for unit in sorted({u.pk: u for u in units}.values(), key=lambda u: u.path):
        if not any(unit.path.startswith(outer.path) for outer in kept):
            kept.append(unit)
    return kept


def under_units(actor: Person, day: dt.date | None = None) -> list[Unit]:
    """The outermost units whose whole subtree `actor` oversees (positions and delegations)."""
    day = day or local_today()
    positions = _current_positions(actor, day)
    units = [p.unit for p in positions if p.role in UNDER_ROLES]
    return _outermost(units + _delegated_under_units(actor))


# The aliases the list's subtree and status conditions filter on (see _ForScan, task_list).
_LEAD = "lead_unit_for_scan"
_STATUS = "status_for_scan"


class _ForScan(models.Func):
    """A column whose indexes SQLite's planner must not use in the list's page query.

    SQLite, statistics or not, drives `lead_unit_id IN (subtree) AND status IN (…)` from the
    lead-unit index (or, without statistics, the (status, deadline) one) and then sorts every
    match by deadline: 1 s for the 445,000 overdue tasks of a whole city. Written
    `+lead_unit_id` and `+status` (SQLite's documented way to say "not through an index") in
    a query that is ordered and limited, the only index left is work_task_list_order_idx: the
    planner reads it in list order, tests each row's unit against the subtree and its status
    in the index, and stops after one page (3 ms).
    Counts and aggregates (no ORDER BY … LIMIT) keep the plain column, and so the covering
    lead-unit index. task_list() asks for this only when the list is big (_big_list); for a
    ward's few hundred tasks the lead-unit index and a small sort are faster. PostgreSQL
    chooses between both plans by itself from its statistics, so it gets the plain column.
    """

    arity = 1

    def as_sql(self, compiler: Any, conn: Any, **extra: Any) -> Any:  # type: ignore[override]
        return compiler.compile(self.get_source_expressions()[0])

    def as_sqlite(self, compiler: Any, conn: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        query = compiler.query
        if query.order_by and query.high_mark is not None:
            return f"+{sql}", params
        return sql, params


def _big_list() -> int:
    """From how many matching tasks a page query reads in list order rather than unit by unit
    (SQLite only; at 1,000,000 tasks the unit-by-unit plan wins below ~1,000 matches).
    Setting BARO_TASK_LIST_SCAN_FROM changes it (the tests use 1 to exercise both plans)."""
    return int(getattr(settings, "BARO_TASK_LIST_SCAN_FROM", 1_000))


def _lead_in_subtrees(units: list[Unit]) -> Q:
    """Tasks led by a unit in the subtree of one of `units`.

    `lead_unit_id IN (SELECT id FROM org_unit WHERE <path ranges>)`: a probe of a small set
    per row, whether the engine walks the units' tasks or the tasks in deadline order.
    Filters the `_LEAD` alias that task_list() defines.
    """
    if not units:
        return Q(pk__in=[])
    ranges = subtree_q(units[0].path)
    for unit in units[1:]:
        ranges |= subtree_q(unit.path)
    return Q(**{f"{_LEAD}__in": Unit.objects.filter(ranges).values("pk")})


def _within(units: list[Unit], unit_id: int) -> list[Unit]:
    """The subtrees of `units` narrowed to the subtree of unit `unit_id`, as outermost units."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return []
    if any(unit.path.startswith(outer.path) for outer in units):
        return [unit]
    return [outer for outer in units if outer.path.startswith(unit.path)]


def _scope_q(actor: Person, scope: str, day: dt.date) -> Q:
    if scope == Scope.ASSIGNED:
        return Q(assigner=actor)
    positions = _current_positions(actor, day)
    if scope == Scope.MINE:
        lead_units = [p.unit_id for p in positions if p.role in LEAD_ROLES]
        return Q(officer=actor) | Q(officer__isnull=True, lead_unit_id__in=lead_units)
    if scope == Scope.UNIT:
        unit_ids = sorted({p.unit_id for p in positions})
        # One id list (a UNION) rather than `lead IN … OR EXISTS (coordinator)`: with the OR
        # the engines walk every task in deadline order looking for the unit's few.
        led = Task.objects.filter(lead_unit_id__in=unit_ids).order_by().values("pk")
        coordinated = TaskCoordinator.objects.filter(unit_id__in=unit_ids).order_by()
        return Q(pk__in=led.union(coordinated.values("task_id")))
    if scope == Scope.UNDER:
        return _lead_in_subtrees(under_units(actor, day))
    raise DomainError(
        "work.bad_scope",
        gettext("Phạm vi danh sách “%(scope)s” không hợp lệ.") % {"scope": scope},
        field="scope",
    )


def available_scopes(actor: Person, day: dt.date | None = None) -> list[Scope]:
    """The scopes worth a tab for `actor`: "mine" always; the others when they can hold rows."""
    day = day or local_today()
    positions = _current_positions(actor, day)
    scopes = [Scope.MINE]
    if positions:
        scopes.append(Scope.UNIT)
    may_assign = any(Power.TASK_ASSIGN in authority.ROLE_POWERS[p.role] for p in positions)
    if may_assign or Task.objects.filter(assigner=actor).exists():
        scopes.append(Scope.ASSIGNED)
    if under_units(actor, day):
        scopes.append(Scope.UNDER)
    return scopes


# --------------------------------------------------------------------------------------------
# the list


def _filters_q(filters: TaskFilters, today: dt.date) -> Q:
    q = Q()
    if filters.timing:
        q &= timing_q(filters.timing, today, status=_STATUS)
    if filters.not_updated:
        q &= not_updated_q(today, status=_STATUS)
    if filters.status:
        q &= Q(**{_STATUS: filters.status})
    if filters.directive_id is not None:
        q &= Q(directive_id=filters.directive_id)
    if filters.unit_id is not None:
        unit = Unit.objects.filter(pk=filters.unit_id).only("path").first()
        q &= _lead_in_subtrees([unit] if unit else [])
    if filters.officer_id is not None:
        q &= Q(officer_id=filters.officer_id)
    if filters.deadline_from is not None:
        q &= Q(deadline__gte=filters.deadline_from)
    if filters.deadline_to is not None:
        q &= Q(deadline__lte=filters.deadline_to)
    return q


def task_list(
    actor: Person,
    *,
    scope: str,
    filters: TaskFilters = TaskFilters(),  # frozen, so sharing the default is safe
    today: dt.date | None = None,
) -> QuerySet[Task]:
    """The tasks of `scope` for `actor`, narrowed by `filters`, ordered by deadline then id.

    Each row carries `timing` (a rules.TimingStatus value, as rules.timing_status computes it
    for `today`) and `is_not_updated` (as rules.not_updated). Raises DomainError(field="scope")
    for an unknown scope.
    """
    # Who holds which position is asked for the real today; `today` only moves the timing.
    if scope == Scope.UNDER and filters.unit_id is not None:
        # One subtree condition, not two: the engines choose badly between two unit lists.
        scope_q = _lead_in_subtrees(_within(under_units(actor), filters.unit_id))
        filters = replace(filters, unit_id=None)
    else:
        scope_q = _scope_q(actor, scope, local_today())
    today = today or local_today()
    filters_q = _filters_q(filters, today)
    text = filters.text.strip()
    by_deadline = False
    if connection.vendor == "sqlite" and (scope == Scope.UNDER or filters.unit_id is not None):
        # How big is this list? Counting up to _big_list() through the lead-unit index costs
        # at most that many index entries (see _LeadUnitForScan).
        probe = _tasks(scope_q, filters_q, text, by_deadline=False)
        big = _big_list()
        by_deadline = probe.order_by()[:big].count() >= big
    qs = _tasks(scope_q, filters_q, text, by_deadline=by_deadline)
    if by_deadline:
        # Joining org_unit would give SQLite a second way into the lead-unit index (unit by
        # unit); the page's few lead units come in one more query instead.
        qs = qs.select_related("officer", "directive").prefetch_related("lead_unit")
    else:
        qs = qs.select_related("lead_unit", "officer", "directive")
    return qs.annotate(timing=timing_case(today), is_not_updated=_not_updated_case(today)).order_by(
        "deadline", "pk"
    )


def _tasks(scope_q: Q, filters_q: Q, text: str, *, by_deadline: bool) -> QuerySet[Task]:
    if by_deadline:
        columns = {_LEAD: _ForScan(F("lead_unit_id")), _STATUS: _ForScan(F("status"))}
    else:
        columns = {_LEAD: F("lead_unit_id"), _STATUS: F("status")}
    qs = Task.objects.alias(**columns).filter(scope_q).filter(filters_q)
    if text:
        qs = qs.alias(
            fold_title=Fold("title"),
            fold_description=Fold("description"),
            fold_directive=Fold("directive__number_symbol"),
        ).filter(_text_q(text))
    return qs


def count_up_to(qs: QuerySet[Task], cap: int) -> int:
    """len(qs) if it is at most `cap`, else cap + 1: "more than cap" without counting them all
    (a whole city's 445,000 overdue tasks would cost 150 ms to 1 s to count exactly)."""
    return _plain(qs)[: cap + 1].count()


# --------------------------------------------------------------------------------------------
# parsing GET parameters (the pages and the API share this)


def _parse_int(value: str, field: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    number = id_from_text(value)
    if not number:  # not digits, past 64 bits, or 0
        raise DomainError(
            "work.bad_filter",
            gettext("%(label)s không hợp lệ: “%(value)s”.") % {"label": label, "value": value},
            field=field,
        )
    return number


def _parse_date(value: str, field: str, label: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
    raise DomainError(
        "work.bad_filter",
        gettext("%(label)s không hợp lệ: “%(value)s” (viết theo dạng ngày/tháng/năm).")
        % {"label": label, "value": value},
        field=field,
    )


_TRUE = {"1", "true", "on", "yes", "co", "có"}
_FALSE = {"", "0", "false", "off", "no", "khong", "không"}


def parse_filters(params: Mapping[str, str]) -> TaskFilters:
    """TaskFilters from GET parameters named like its fields (timing, not_updated, status,
    directive_id, unit_id, officer_id, deadline_from, deadline_to, text); "directive", "unit",
    "officer" and "q" are accepted as short names. Dates are yyyy-mm-dd or dd/mm/yyyy.

    Raises DomainError("work.bad_filter", field=<parameter>) for a value that cannot be meant.
    """

    def get(name: str, alias: str = "") -> tuple[str, str]:
        if params.get(name) not in (None, ""):
            return str(params[name]), name
        if alias and params.get(alias) not in (None, ""):
            return str(params[alias]), alias
        return "", name

    timing, timing_field = get("timing")
    if timing and timing not in TimingStatus.values:
        raise DomainError(
            "work.bad_filter",
            gettext("Tình trạng thời hạn “%(timing)s” không hợp lệ.") % {"timing": timing},
            field=timing_field,
        )
    status, status_field = get("status")
    if status and status not in TaskStatus.values:
        raise DomainError(
            "work.bad_filter",
            gettext("Trạng thái “%(status)s” không hợp lệ.") % {"status": status},
            field=status_field,
        )
    flag, flag_field = get("not_updated")
    if flag.strip().lower() not in _TRUE | _FALSE:
        raise DomainError(
            "work.bad_filter",
            gettext("Giá trị “%(flag)s” không hợp lệ (1 hoặc 0).") % {"flag": flag},
            field=flag_field,
        )
    directive, directive_field = get("directive_id", "directive")
    unit, unit_field = get("unit_id", "unit")
    officer, officer_field = get("officer_id", "officer")
    start, start_field = get("deadline_from")
    end, end_field = get("deadline_to")
    text, text_field = get("text", "q")
    if len(text) > 200:
        raise DomainError(
            "work.bad_filter", gettext("Từ khóa dài quá 200 ký tự."), field=text_field
        )
    if "\x00" in text:  # PostgreSQL's text cannot hold it, nor can a spreadsheet cell
        raise DomainError(
            "work.bad_filter", gettext("Từ khóa chứa ký tự không hợp lệ."), field=text_field
        )
    deadline_from = _parse_date(start, start_field, gettext("Hạn từ ngày"))
    deadline_to = _parse_date(end, end_field, gettext("Hạn đến ngày"))
    if deadline_from and deadline_to and deadline_to < deadline_from:
        raise DomainError(
            "work.bad_filter", gettext("“Hạn đến ngày” phải sau “Hạn từ ngày”."), field=end_field
        )
    return TaskFilters(
        timing=timing,
        not_updated=flag.strip().lower() in _TRUE,
        status=status,
        directive_id=_parse_int(directive, directive_field, gettext("Văn bản chỉ đạo")),
        unit_id=_parse_int(unit, unit_field, gettext("Đơn vị")),
        officer_id=_parse_int(officer, officer_field, gettext("Cán bộ")),
        deadline_from=deadline_from,
        deadline_to=deadline_to,
        text=text.strip(),
    )


def describe_filters(filters: TaskFilters) -> str:
    """The filters in words, for the export's title row and the page ("Hạn từ 01/07/2026…")."""
    parts: list[str] = []
    if filters.timing:
        parts.append(f"Tình trạng: {TimingStatus(filters.timing).label}")
    if filters.not_updated:
        parts.append("Chưa cập nhật tiến độ")
    if filters.status:
        parts.append(f"Trạng thái: {TaskStatus(filters.status).label}")
    if filters.directive_id is not None:
        directive = Directive.objects.filter(pk=filters.directive_id).first()
        parts.append(f"Văn bản: {directive.number_symbol if directive else filters.directive_id}")
    if filters.unit_id is not None:
        unit = Unit.objects.filter(pk=filters.unit_id).first()
        parts.append(f"Đơn vị chủ trì: {unit.name if unit else filters.unit_id} (cả cấp dưới)")
    if filters.officer_id is not None:
        officer = Person.objects.filter(pk=filters.officer_id).first()
        parts.append(f"Cán bộ xử lý: {officer.full_name if officer else filters.officer_id}")
    if filters.deadline_from:
        parts.append(f"Hạn từ {format_date(filters.deadline_from)}")
    if filters.deadline_to:
        parts.append(f"Hạn đến {format_date(filters.deadline_to)}")
    if filters.text:
        parts.append(f"Từ khóa: “{filters.text}”")
    return "; ".join(parts) if parts else "Không lọc"


# --------------------------------------------------------------------------------------------
# counts and rates


@dataclass(frozen=True)
class TimingCounts:
    """How many tasks of a list fall in each cell of the grid, and how many are not updated."""

    in_progress_on_time: int
    in_progress_overdue: int
    completed_on_time: int
    completed_late: int
    cancelled: int
    not_updated: int
    overdue_not_updated: int

    @property
    def total(self) -> int:
        return (
            self.in_progress_on_time
            + self.in_progress_overdue
            + self.completed_on_time
            + self.completed_late
            + self.cancelled
        )

    def cells(self) -> list[tuple[str, str, int]]:
        """(value, Vietnamese label, count) for the four official cells, in report order."""
        return [
            (value, str(TimingStatus(value).label), getattr(self, value))
            for value in (
                TimingStatus.IN_PROGRESS_ON_TIME,
                TimingStatus.IN_PROGRESS_OVERDUE,
                TimingStatus.COMPLETED_ON_TIME,
                TimingStatus.COMPLETED_LATE,
            )
        ]


def _plain(qs: QuerySet[Task]) -> QuerySet[Task]:
    # Aggregates need neither the row order nor the joins the list page selects.
    return qs.order_by().select_related(None)


def timing_counts(qs: QuerySet[Task], today: dt.date) -> TimingCounts:
    """Counts per timing status of `qs` (one aggregate query)."""
    counts = _plain(qs).aggregate(
        **{value: Count("pk", filter=timing_q(value, today)) for value in TimingStatus.values},
        not_updated=Count("pk", filter=not_updated_q(today)),
        overdue_not_updated=Count(
            "pk",
            filter=not_updated_q(today) & timing_q(TimingStatus.IN_PROGRESS_OVERDUE, today),
        ),
    )
    return TimingCounts(**{key: int(value or 0) for key, value in counts.items()})


@dataclass(frozen=True)
class Rate:
    """One rate with its parts, so a report can show where the figure comes from."""

    label: str
    numerator: int
    denominator: int
    explanation: str

    @property
    def percent(self) -> Decimal | None:
        """Two decimals (98.62), as official reports print it; None when nothing is counted."""
        if not self.denominator:
            return None
        value = Decimal(100 * self.numerator) / Decimal(self.denominator)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def display(self) -> str:
        """ "98,62%" (Vietnamese decimal comma), or "—" when there is nothing to divide."""
        percent = self.percent
        return "—" if percent is None else f"{percent}%".replace(".", ",")


@dataclass(frozen=True)
class CompletionRates:
    """Both rates official reports print, each labelled, since the same words hide two figures.

    among_due  completed on time ÷ tasks that have come due (finished, or unfinished past their
               deadline): what the 2017 report measured (98.62%); tasks still within their
               deadline are not counted yet
    among_all  completed on time ÷ every task of the list except cancelled ones: what the 2025
               report measured; tasks still within their deadline count against it
    """

    among_due: Rate
    among_all: Rate


def completion_rates(qs: QuerySet[Task], today: dt.date) -> CompletionRates:
    """The two completion rates of `qs` on `today` (one aggregate query)."""
    return rates_from_counts(timing_counts(qs, today))


def rates_from_counts(c: TimingCounts) -> CompletionRates:
    """The two completion rates from counts already taken (a page shows both)."""
    finished = c.completed_on_time + c.completed_late
    return CompletionRates(
        among_due=Rate(
            label="Tỷ lệ hoàn thành đúng hạn trên số nhiệm vụ đến hạn",
            numerator=c.completed_on_time,
            denominator=finished + c.in_progress_overdue,
            explanation=(
                "Hoàn thành đúng hạn ÷ (đã hoàn thành + đang thực hiện quá hạn); "
                "chưa tính nhiệm vụ còn trong hạn."
            ),
        ),
        among_all=Rate(
            label="Tỷ lệ hoàn thành đúng hạn trên tổng số nhiệm vụ",
            numerator=c.completed_on_time,
            denominator=finished + c.in_progress_overdue + c.in_progress_on_time,
            explanation=(
                "Hoàn thành đúng hạn ÷ tổng số nhiệm vụ được giao (không tính việc đã hủy)."
            ),
        ),
    )
