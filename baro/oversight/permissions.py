"""Who may see and who may do what in oversight: the one place the services, the queries, the
pages and the API ask.

Seeing (anything else is "not found", NotFoundError, never "forbidden": a flag is not confirmed
to exist to someone who may not read it):
- flags: inspectors (inspection.conduct) over the flagged unit, and heads over it (dispute.decide
  over the unit: its own head, the heads above it and whoever they delegated that power to);
- inspections: inspectors and heads over the inspected unit, the inspected person, and anyone a
  handling decision of the inspection names;
- urging letters: the issuing unit's leaders, secretariat and inspectors (registry.view,
  task.assign or inspection.conduct over it), and the people of the units the letter urges;
- a person's responsibility record (hồ sơ trách nhiệm): the person, the inspectors over a unit
  where they work, and the heads above them (dispute.decide over that unit).

`flag_get_for_actor`, `inspection_get_for_actor`, `letter_get_for_actor` and
`record_person_get_for_actor` fetch one of them for the actor; the pages and the API fetch
through them before any command runs, so an outsider learns nothing from a command's refusal.

Doing (`require_*` raise AuthorityError, the services call them before changing anything;
`can_*` / `may_*` answer the same question without raising, for what a page or the API offers):
- configure the ladder: for the installation, an administrator (registry.manage); for one
  directive, its issuing side (baro.work.permissions.require_directive_side);
- record a ladder step, raise a flag: only Baro's system actor (the worker);
- urge by hand, issue an urging letter: task.assign over the task's lead unit (a leader of the
  assigning unit or above, or the lead unit's own head), over the issuing unit for a letter;
- confirm or dismiss a flag: an inspector (inspection.conduct over the flagged unit) or the head
  of a unit above it (dispute.decide over its parent); never on one's own unit or oneself;
- open an inspection, cite evidence, record findings, conclude, decide a handling measure:
  inspection.conduct over the inspected unit, and no conflict of interest: never on oneself,
  on a unit one works in, or on a head or deputy of a unit one works in (conflict_of_interest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from baro.core.errors import AuthorityError, DomainError, NotFoundError
from baro.core.timeutil import now, today
from baro.org import authority
from baro.org.authority import ROLE_POWERS, Decision, Power
from baro.org.models import Delegation, Person, Position, Role, Unit
from baro.org.queries import active_on, subtree_q
from baro.oversight.models import (
    Flag,
    FlagStatus,
    HandlingDecision,
    Inspection,
    Urging,
    UrgingLetter,
)
from baro.work.models import Directive, Task, TaskStatus
from baro.work.permissions import may_act_for_directives, require_directive_side

__all__ = [
    "FLAG_READ_POWERS",
    "INSPECTION_READ_POWERS",
    "LETTER_READ_POWERS",
    "can_configure_directive_ladder",
    "can_configure_installation_ladder",
    "can_open_inspections",
    "can_read_ledger",
    "can_see_flags",
    "can_see_inspections",
    "can_see_record",
    "conflict_of_interest",
    "flag_get_for_actor",
    "flags_visible",
    "holds_position_within",
    "inspection_get_for_actor",
    "inspections_visible",
    "letter_get_for_actor",
    "letters_visible",
    "may_conduct",
    "may_conduct_inspection",
    "may_decide_flag",
    "may_issue_letters",
    "may_urge",
    "record_person_get_for_actor",
    "require_flag_decider",
    "require_impartial",
    "require_inspection_conductor",
    "require_inspector",
    "require_ladder_configurer",
    "require_letter_issuer",
    "require_system",
    "require_urger",
    "scope_roots",
    "subtrees",
]

FLAG_READ_POWERS = (Power.INSPECTION_CONDUCT, Power.DISPUTE_DECIDE)
INSPECTION_READ_POWERS = (Power.INSPECTION_CONDUCT, Power.DISPUTE_DECIDE)
LETTER_READ_POWERS = (Power.REGISTRY_VIEW, Power.TASK_ASSIGN, Power.INSPECTION_CONDUCT)


# --------------------------------------------------------------------------------------------
# scopes


def _outermost(units: Iterable[Unit]) -> list[Unit]:
    kept: list[Unit] = []
    for unit in sorted(units, key=lambda u: u.path):
        if not any(unit.path.startswith(outer.path) for outer in kept):
            kept.append(unit)
    return kept


def scope_roots(actor: Person, *powers: str) -> list[Unit]:
    """The outermost units over whose subtree `actor` holds one of `powers` today, by position
    or by a current delegation (the authority module decides each delegation)."""
    if not actor.is_active:
        return []
    wanted = set(powers)
    roles = [role for role, granted in ROLE_POWERS.items() if granted & wanted]
    day, at = today(), now()
    units = [
        position.unit
        for position in Position.objects.filter(
            active_on(day), person=actor, role__in=roles
        ).select_related("unit")
    ]
    delegations = Delegation.objects.filter(
        delegate=actor, valid_from__lte=at, valid_to__gt=at, revoked_at__isnull=True
    ).select_related("unit")
    for delegation in delegations:
        if any(
            power in delegation.powers and authority.check(actor, power, delegation.unit)
            for power in powers
        ):
            units.append(delegation.unit)
    return _outermost(units)


def subtrees(roots: Sequence[Unit], prefix: str) -> Q | None:
    """Rows whose `prefix` unit lies in one of the subtrees of `roots`; None when there is
    none (the caller then answers "nothing", without a query)."""
    if not roots:
        return None
    condition = Q()
    for root in roots:
        condition |= subtree_q(root.path, prefix=prefix)
    return condition


def _own_units(actor: Person) -> list[Unit]:
    """Units where `actor` holds any position today (their own people's units)."""
    return _outermost(
        p.unit
        for p in Position.objects.filter(active_on(today()), person=actor).select_related("unit")
    )


def holds_position_within(person: Person, unit: Unit, day: dt.date) -> bool:
    """Whether `person` works in `unit` or below it on `day`: their own unit, for the rule that
    nobody confirms or dismisses a flag on their own unit."""
    return Position.objects.filter(
        active_on(day), person=person, unit__path__startswith=unit.path
    ).exists()


# --------------------------------------------------------------------------------------------
# what an actor sees


def flags_visible(actor: Person) -> QuerySet[Flag]:
    """The flags `actor` may read (unordered)."""
    qs = Flag.objects.select_related("unit", "person", "task", "decided_by")
    if actor.is_system:
        return qs
    condition = subtrees(scope_roots(actor, *FLAG_READ_POWERS), "unit__")
    return qs.none() if condition is None else qs.filter(condition)


def inspections_visible(actor: Person) -> QuerySet[Inspection]:
    """The inspections `actor` may read (unordered)."""
    qs = Inspection.objects.select_related(
        "target_unit", "target_person", "inspecting_unit", "created_by", "concluded_by"
    )
    if actor.is_system:
        return qs
    condition = Q(target_person=actor) | Q(
        pk__in=HandlingDecision.objects.filter(person=actor).values("inspection_id")
    )
    over = subtrees(scope_roots(actor, *INSPECTION_READ_POWERS), "target_unit__")
    if over is not None:
        condition |= over
    return qs.filter(condition)


def letters_visible(actor: Person) -> QuerySet[UrgingLetter]:
    """The urging letters `actor` may read (unordered)."""
    qs = UrgingLetter.objects.select_related("issuing_unit", "signer", "created_by")
    if actor.is_system:
        return qs
    condition = Q(pk__in=[])
    issuers = subtrees(scope_roots(actor, *LETTER_READ_POWERS), "issuing_unit__")
    if issuers is not None:
        condition |= issuers
    urged = subtrees(_own_units(actor), "target_unit__")
    if urged is not None:
        condition |= Q(
            pk__in=Urging.objects.filter(urged, letter__isnull=False).values("letter_id")
        )
    condition |= Q(
        pk__in=Urging.objects.filter(target_person=actor, letter__isnull=False).values("letter_id")
    )
    return qs.filter(condition)


def flag_get_for_actor(actor: Person, pk: int) -> Flag:
    """The flag `pk` (with its unit's parent) if `actor` may read it; NotFoundError otherwise."""
    flag = flags_visible(actor).select_related("unit__parent").filter(pk=pk).first()
    if flag is None:
        raise NotFoundError(_("Không tìm thấy dấu hiệu."))
    return flag


def inspection_get_for_actor(actor: Person, pk: int) -> Inspection:
    """The inspection `pk` if `actor` may read it; NotFoundError otherwise."""
    inspection = inspections_visible(actor).filter(pk=pk).first()
    if inspection is None:
        raise NotFoundError(_("Không tìm thấy cuộc kiểm tra."))
    return inspection


def letter_get_for_actor(actor: Person, pk: int) -> UrgingLetter:
    """The urging letter `pk` if `actor` may read it; NotFoundError otherwise."""
    letter = letters_visible(actor).filter(pk=pk).first()
    if letter is None:
        raise NotFoundError(_("Không tìm thấy công văn đôn đốc."))
    return letter


def can_see_record(actor: Person, person: Person) -> bool:
    """The person themselves, an inspector over a unit where they work, or a head above them."""
    if actor.pk == person.pk or actor.is_system:
        return True
    if person.is_system:
        return False
    return bool(
        authority.check_over_person(actor, person, Power.INSPECTION_CONDUCT)
        or authority.check_over_person(actor, person, Power.DISPUTE_DECIDE)
    )


def record_person_get_for_actor(actor: Person, pk: int) -> Person:
    """The person `pk` whose responsibility record `actor` may read; NotFoundError otherwise."""
    person = Person.objects.filter(pk=pk, is_system=False).first()
    if person is None or not can_see_record(actor, person):
        raise NotFoundError(_("Không tìm thấy hồ sơ."))
    return person


def can_read_ledger(actor: Person) -> bool:
    """ledger.read anywhere: the flag page then links its evidence to the ledger's pages."""
    return bool(authority.holds_anywhere(actor, Power.LEDGER_READ))


def can_see_flags(actor: Person) -> bool:
    return actor.is_system or bool(scope_roots(actor, *FLAG_READ_POWERS))


def can_see_inspections(actor: Person) -> bool:
    return inspections_visible(actor).exists()


# --------------------------------------------------------------------------------------------
# what an actor may do


def require_system(actor: Person, what: str) -> None:
    """Only Baro's system actor `what` (records ladder steps, raises flags)."""
    if not actor.is_system:
        raise AuthorityError(
            _("Chỉ Baro tự động %(what)s; không ai được ghi thay.") % {"what": what},
            code="oversight.system_only",
        )


def can_configure_installation_ladder(actor: Person) -> bool:
    return bool(authority.holds_anywhere(actor, Power.REGISTRY_MANAGE))


def can_configure_directive_ladder(actor: Person, directive: Directive) -> bool:
    return may_act_for_directives(actor, directive.issuing_unit)


def require_ladder_configurer(actor: Person, directive: Directive | None) -> Decision:
    """An administrator for the installation's ladder (directive None), the issuing side for
    one directive's."""
    if directive is not None:
        return require_directive_side(actor, directive.issuing_unit)
    decision = authority.holds_anywhere(actor, Power.REGISTRY_MANAGE)
    if not decision:
        raise AuthorityError(
            _("Chỉ quản trị hệ thống được đặt các bước đôn đốc chung."),
            code="oversight.ladder_denied",
        )
    return decision


def may_urge(actor: Person, task: Task) -> Decision:
    """task.assign over the task's lead unit (require_urger's rule), and the task still open."""
    if task.status in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
        return Decision(False, Power.TASK_ASSIGN, _("Nhiệm vụ đã kết thúc."))
    return authority.check(actor, Power.TASK_ASSIGN, task.lead_unit)


def require_urger(actor: Person, task: Task) -> Decision:
    """task.assign over the task's lead unit: who urges it by hand."""
    return authority.require(actor, Power.TASK_ASSIGN, task.lead_unit)


def may_issue_letters(person: Person, unit: Unit) -> Decision:
    """task.assign over `unit`: who issues an urging letter in its name, and who signs it."""
    return authority.check(person, Power.TASK_ASSIGN, unit)


def require_letter_issuer(actor: Person, unit: Unit) -> Decision:
    """may_issue_letters, or AuthorityError."""
    return authority.require(actor, Power.TASK_ASSIGN, unit)


def require_flag_decider(actor: Person, flag: Flag) -> Decision:
    """An inspector over the flagged unit, or the head of a unit above it — not its own people."""
    if actor.is_system:
        raise AuthorityError(
            _("Xác nhận hay bác bỏ dấu hiệu là quyết định của con người."),
            code="oversight.system_cannot_decide",
        )
    if flag.person_id == actor.pk or holds_position_within(actor, flag.unit, today()):
        raise AuthorityError(
            _(
                "Không được tự xác nhận hay bác bỏ dấu hiệu về chính mình hoặc đơn vị mình "
                "công tác."
            ),
            code="oversight.own_unit",
        )
    decision = authority.check(actor, Power.INSPECTION_CONDUCT, flag.unit)
    if decision:
        return decision
    parent = flag.unit.parent
    if parent is not None:
        decision = authority.check(actor, Power.DISPUTE_DECIDE, parent)
        if decision:
            return decision
    raise AuthorityError(
        _(
            "Chỉ cán bộ kiểm tra hoặc người đứng đầu cấp trên của %(unit)s được xác nhận "
            "hay bác bỏ dấu hiệu này."
        )
        % {"unit": flag.unit.name},
        code="oversight.flag_denied",
    )


def may_decide_flag(actor: Person, flag: Flag) -> Decision:
    """Whether `actor` may confirm or dismiss `flag` now: require_flag_decider's rule, and the
    flag still open."""
    try:
        decision = require_flag_decider(actor, flag)
    except AuthorityError as refused:
        return Decision(False, Power.INSPECTION_CONDUCT, refused.message)
    if flag.status != FlagStatus.OPEN:
        return Decision(False, decision.power, _("Dấu hiệu đã được quyết định."))
    return decision


def may_conduct(actor: Person, unit: Unit) -> Decision:
    """inspection.conduct over `unit`: who opens, cites, concludes and decides handling there."""
    return authority.check(actor, Power.INSPECTION_CONDUCT, unit)


def require_inspector(actor: Person, unit: Unit) -> Decision:
    """may_conduct, or AuthorityError `oversight.inspection_denied`."""
    decision = may_conduct(actor, unit)
    if not decision:
        raise AuthorityError(
            _("Chỉ cán bộ có thẩm quyền kiểm tra đối với %(unit)s được làm việc này.")
            % {"unit": unit.name},
            code="oversight.inspection_denied",
        )
    return decision


def conflict_of_interest(actor: Person, unit: Unit, person: Person | None) -> tuple[str, str]:
    """Why `actor` may not inspect or handle `unit` (and `person` in it), and which of the two
    it is about ("unit" or "person"); ("", "") when nothing stands in the way. Nobody inspects,
    or decides a measure on, themselves; nor a unit they work in (its own members judge their
    own unit: the rule flag decisions follow); nor a person who heads or deputises a unit they
    work in (a subordinate judging their superior)."""
    if actor.is_system:
        return "", ""
    if person is not None and person.pk == actor.pk:
        return "Không được tự kiểm tra hay quyết định xử lý chính mình.", "person"
    day = today()
    if holds_position_within(actor, unit, day):
        return (
            f"Không được kiểm tra hay quyết định xử lý {unit.name}, đơn vị mình đang công tác.",
            "unit",
        )
    if person is not None:
        led = Position.objects.filter(
            active_on(day), person=person, role__in=[Role.HEAD, Role.DEPUTY]
        ).select_related("unit")
        for position in led:
            if holds_position_within(actor, position.unit, day):
                return (
                    f"Không được kiểm tra hay quyết định xử lý {person.full_name}, lãnh đạo "
                    f"của {position.unit.name}, nơi mình đang công tác.",
                    "person",
                )
    return "", ""


def require_impartial(
    actor: Person, unit: Unit, person: Person | None, *, fields: dict[str, str] | None = None
) -> None:
    """Refuse what conflict_of_interest finds, `oversight.conflict_of_interest`: as an
    AuthorityError for an inspection already under way, or, when the actor is choosing the
    unit and person now, as a DomainError naming the field they chose (`fields` maps "unit" and
    "person" to the form's field names)."""
    reason, about = conflict_of_interest(actor, unit, person)
    if not reason:
        return
    if fields is not None:
        raise DomainError("oversight.conflict_of_interest", reason, field=fields.get(about))
    raise AuthorityError(reason, code="oversight.conflict_of_interest")


def require_inspection_conductor(actor: Person, inspection: Inspection) -> Decision:
    """inspection.conduct over the inspected unit, and no conflict of interest with the unit or
    the inspected person: who cites evidence, records findings, concludes and decides handling."""
    decision = require_inspector(actor, inspection.target_unit)
    require_impartial(actor, inspection.target_unit, inspection.target_person)
    return decision


def may_conduct_inspection(actor: Person, inspection: Inspection) -> Decision:
    """require_inspection_conductor's rule without raising (what the inspection page offers)."""
    try:
        return require_inspection_conductor(actor, inspection)
    except AuthorityError as refused:
        return Decision(False, Power.INSPECTION_CONDUCT, refused.message)


def can_open_inspections(actor: Person) -> bool:
    """Whether `actor` holds inspection.conduct over any unit (plans inspections)."""
    return bool(scope_roots(actor, Power.INSPECTION_CONDUCT))
