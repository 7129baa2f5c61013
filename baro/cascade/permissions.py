"""Who may follow, send and act on the cascade of a directive, and what each person may see.

- The issuer's side (who sees the registry of the issuing unit: its leaders, its secretariat,
  inspectors and the Front above it, or who may issue or register there) follows the whole
  cascade; a head or deputy of a receiving unit follows their unit and what it forwarded, not
  the other units. Whoever follows nothing does not see the directive here (404).
- Sending down is for the directive side of the issuing unit (baro.work.permissions).
- Planning, deploying and forwarding for a receiving unit is task.assign over it (its head
  and deputies), as the commands decide it.
- A receipt is seen by the members of its unit, by who sees that unit's registry, and by the
  issuer's side; anyone else is told it does not exist.

The pages and the API fetch a directive and a receipt through `followed_directive_get_for_actor`
and `receipt_get_for_actor` before any command runs, so an outsider gets the same 404 whatever
they ask to do.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from baro.cascade.members import is_member, members_q
from baro.cascade.models import DirectiveReceipt
from baro.core.errors import AuthorityError, NotFoundError
from baro.core.timeutil import today
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.models import Person, Position, Role
from baro.work.models import Directive
from baro.work.permissions import may_act_for_directives

__all__ = [
    "can_act_on",
    "can_follow",
    "can_send",
    "can_view_overview",
    "followed_directive_get_for_actor",
    "overview_scope",
    "receipt_get_for_actor",
    "require_can_acknowledge",
    "require_can_act_on",
]


# --------------------------------------------------------------------------------------------
# the issuer's side


def can_view_overview(actor: Person, directive: Directive) -> bool:
    """The issuer's side: who may see the registry of the issuing unit (its leaders, its
    secretariat, inspectors and the Front above it), or who may issue or register there."""
    unit = directive.issuing_unit
    return any(
        authority.check(actor, power, unit)
        for power in (Power.REGISTRY_VIEW, Power.DIRECTIVE_ISSUE, Power.DIRECTIVE_REGISTER)
    )


def can_send(actor: Person, directive: Directive) -> bool:
    """Whether `actor` may send `directive` down to units (the directive side of its issuer)."""
    return may_act_for_directives(actor, directive.issuing_unit)


def overview_scope(actor: Person, directive: Directive) -> list[str] | None:
    """Which part of the cascade `actor` follows: None for all of it (the issuer's side), else
    the unit paths of the receiving units (and what they forwarded) that `actor` leads — a
    department's director follows his department and its divisions, not the other
    departments. An empty list: nothing to follow."""
    if can_view_overview(actor, directive):
        return None
    led = Position.objects.filter(
        members_q(today()), person=actor, role__in=[Role.HEAD, Role.DEPUTY]
    ).values_list("unit__path", flat=True)
    received = DirectiveReceipt.objects.filter(directive=directive).values_list(
        "unit__path", flat=True
    )
    paths = set(led)
    return sorted(path for path in received if any(path.startswith(mine) for mine in paths))


def can_follow(actor: Person, directive: Directive) -> bool:
    """Whether `actor` may open the directive's cascade page (the whole or their part)."""
    scope = overview_scope(actor, directive)
    return scope is None or bool(scope)


def followed_directive_get_for_actor(*, actor: Person, pk: int) -> Directive:
    """The directive `pk` as the cascade shows it: if `actor` may follow its cascade (or their
    part of it), else NotFoundError. (The directive's own page is work's.)"""
    directive = Directive.objects.select_related("issuing_unit", "signer").filter(pk=pk).first()
    if directive is None or not can_follow(actor, directive):
        raise NotFoundError(_("Không tìm thấy văn bản chỉ đạo."))
    return directive


# --------------------------------------------------------------------------------------------
# the receiving side


def require_can_act_on(actor: Person, receipt: DirectiveReceipt) -> Decision:
    """task.assign over the receiving unit, which lets `actor` plan, deploy and forward for it:
    its head or a deputy (who signs plans "KT." for the head); by Baro's authority model a
    head of a unit above holds it too, or a delegate. Else AuthorityError."""
    return authority.require(actor, Power.TASK_ASSIGN, receipt.unit)


def can_act_on(actor: Person, receipt: DirectiveReceipt) -> bool:
    """Whether `actor` may plan, deploy and forward for the receiving unit (the same question
    as require_can_act_on, asked without an exception)."""
    return bool(authority.check(actor, Power.TASK_ASSIGN, receipt.unit))


def require_can_acknowledge(actor: Person, receipt: DirectiveReceipt) -> None:
    """Only a current member of the receiving unit acknowledges, for themselves; else
    AuthorityError `cascade.not_member`."""
    if actor.is_system or not actor.is_active or not is_member(actor, receipt.unit, today()):
        raise AuthorityError(
            _(
                "%(actor)s không phải cán bộ của %(unit)s: chỉ cán bộ của đơn "
                "vị nhận văn bản mới xác nhận đã quán triệt."
            )
            % {"actor": actor.full_name, "unit": receipt.unit.name},
            code="cascade.not_member",
            details={"unit": receipt.unit.code},
        )


def receipt_get_for_actor(*, actor: Person, pk: int) -> DirectiveReceipt:
    """The receipt `pk` if `actor` may see it: a member of the unit, someone who sees the
    unit's registry, or the issuer's side; else NotFoundError."""
    receipt = (
        DirectiveReceipt.objects.select_related(
            "unit", "directive", "directive__issuing_unit", "parent", "parent__unit"
        )
        .filter(pk=pk)
        .first()
    )
    if receipt is None or not (
        is_member(actor, receipt.unit, today())
        or authority.check(actor, Power.REGISTRY_VIEW, receipt.unit)
        or can_view_overview(actor, receipt.directive)
    ):
        raise NotFoundError(_("Không tìm thấy văn bản đơn vị nhận."))
    return receipt
