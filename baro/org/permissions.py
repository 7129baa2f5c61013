"""The registry's permission questions: who may see which part of it, and who may change it.

The decisions themselves are baro.org.authority's (powers come from positions and delegations);
this module asks it the registry's questions, so that the pages, the API and the commands ask
them alike and a page never offers what its command would refuse.

It also fetches each thing of the registry for an actor (`<thing>_get_for_actor`): a thing the
actor may not see is a NotFoundError (the API's 404 `not_found`, the pages' 404 page), never a
refusal that would confirm it exists. The pages and the API fetch through these before any
command runs; the command then decides whether the actor may change what they see (a 403).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from baro.core.errors import AuthorityError, NotFoundError
from baro.core.timeutil import today
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.models import ApiToken, Delegation, Person, Position, Unit
from baro.org.queries import active_on, units_visible_to

__all__ = [
    "UnitReach",
    "can_view",
    "can_view_card",
    "delegation_get_for_actor",
    "may_import",
    "may_manage",
    "may_manage_anywhere",
    "may_manage_person",
    "may_manage_tokens",
    "may_view_registry",
    "person_get_for_actor",
    "position_get_for_actor",
    "register_works_with",
    "require_delegation_grant",
    "require_delegation_revoke",
    "require_import_anywhere",
    "require_manage",
    "require_manage_person",
    "require_token_authority",
    "token_get_for_actor",
    "unit_card_get_for_actor",
    "unit_get_for_actor",
    "unregister_works_with",
]


# --------------------------------------------------------------------------------------------
# the registry as a whole


def may_view_registry(person: Person) -> Decision:
    """registry.view over some unit: the unit and people lists are open to them."""
    return authority.holds_anywhere(person, Power.REGISTRY_VIEW)


def may_manage_anywhere(person: Person) -> Decision:
    """registry.manage over some unit (appointing from a person's page, where the unit is
    chosen afterwards)."""
    return authority.holds_anywhere(person, Power.REGISTRY_MANAGE)


def may_import(person: Person) -> Decision:
    """registry.import over some unit: the import page and endpoint are open to them."""
    return authority.holds_anywhere(person, Power.REGISTRY_IMPORT)


def require_import_anywhere(person: Person) -> Decision:
    """Like may_import(), but raise AuthorityError when the answer is no."""
    decision = may_import(person)
    if not decision:
        raise AuthorityError(
            _("%(person)s không có quyền “%(power)s”.")
            % {"person": person.full_name, "power": authority.power_label(Power.REGISTRY_IMPORT)},
            details={"power": Power.REGISTRY_IMPORT},
        )
    return decision


# --------------------------------------------------------------------------------------------
# units


def can_view(person: Person, unit: Unit) -> bool:
    """Whether `person` may see `unit` in the registry (registry.view over it)."""
    if person.is_system:
        return True
    if not person.is_active:
        return False
    return any(
        unit.path.startswith(scope.path)
        for scope in authority.scope_units(person, Power.REGISTRY_VIEW)
    )


# The areas above the registry say which units a person works with (work: the units of the
# tasks they handle or assigned), so that the registry, which knows no tasks, opens those
# units' public cards to them. Each function returns unit ids for a person.
WorksWith = Callable[[Person], Iterable[int]]
_WORKS_WITH: list[WorksWith] = []


def register_works_with(source: WorksWith) -> None:
    """Add a source of "units `person` works with" (called in an AppConfig.ready(), once)."""
    if source not in _WORKS_WITH:
        _WORKS_WITH.append(source)


def unregister_works_with(source: WorksWith) -> None:
    """Take back a source added by register_works_with (tests)."""
    if source in _WORKS_WITH:
        _WORKS_WITH.remove(source)


def card_unit_ids(person: Person) -> set[int]:
    """The units whose public card `person` may read beyond their registry view: the units
    where they hold a current position and those units' ancestors, the ancestors of the units
    they may view, and the units they work with (register_works_with)."""
    if person.is_system or not person.is_active:
        return set()
    ids: set[int] = set()
    day = today()
    held = Position.objects.filter(active_on(day), person=person)
    for unit in Unit.objects.filter(pk__in=held.values("unit_id")).only("path"):
        ids.update(unit.ancestor_ids)
    for scope in authority.scope_units(person, Power.REGISTRY_VIEW):
        ids.update(scope.ancestor_ids)
    for source in _WORKS_WITH:
        ids.update(source(person))
    return ids


class UnitReach:
    """What of the registry's unit pages one person may open, asked once per page: the full
    page (registry.view over the unit) or only its public card (card_unit_ids), so that a
    page links a unit only where the link leads somewhere, and names it plainly elsewhere."""

    def __init__(self, person: Person) -> None:
        self.person = person
        self._scopes: list[str] | None = None
        self._card_ids: set[int] | None = None

    def full(self, unit: Unit) -> bool:
        """Whether the unit's full page is open to the person (can_view)."""
        if self.person.is_system:
            return True
        if not self.person.is_active:
            return False
        if self._scopes is None:
            self._scopes = [
                scope.path for scope in authority.scope_units(self.person, Power.REGISTRY_VIEW)
            ]
        return any(unit.path.startswith(path) for path in self._scopes)

    def card(self, unit: Unit) -> bool:
        """Whether at least the unit's public card is open to the person."""
        if self.full(unit):
            return True
        if self._card_ids is None:
            self._card_ids = card_unit_ids(self.person)
        return unit.pk in self._card_ids

    def card_ids(self, units: Iterable[Unit]) -> set[int]:
        """The ids of those of `units` the person may open (at least their card)."""
        return {unit.pk for unit in units if self.card(unit)}


def can_view_card(person: Person, unit: Unit) -> bool:
    """Whether `person` may read at least the public card of `unit` (UnitReach.card)."""
    return UnitReach(person).card(unit)


def may_manage(person: Person, unit: Unit) -> Decision:
    """registry.manage over `unit`: change it, add units and people under it, appoint in it."""
    return authority.check(person, Power.REGISTRY_MANAGE, unit)


def require_manage(person: Person, unit: Unit) -> Decision:
    """Like may_manage(), but raise AuthorityError with the reason when the answer is no."""
    return authority.require(person, Power.REGISTRY_MANAGE, unit)


def unit_get_for_actor(actor: Person, pk: int) -> Unit:
    """The unit `pk` if `actor` may see it (closed units included), else NotFoundError."""
    unit = Unit.objects.select_related("parent").filter(pk=pk).first()
    if unit is None or not can_view(actor, unit):
        raise NotFoundError(_("Không tìm thấy đơn vị."))
    return unit


def unit_card_get_for_actor(actor: Person, pk: int) -> tuple[Unit, bool]:
    """The unit `pk` and whether `actor` may see all of it (True) or only its public card
    (False); a unit they may see neither way is a NotFoundError."""
    unit = Unit.objects.select_related("parent").filter(pk=pk).first()
    if unit is None:
        raise NotFoundError(_("Không tìm thấy đơn vị."))
    reach = UnitReach(actor)
    if reach.full(unit):
        return unit, True
    if reach.card(unit):
        return unit, False
    raise NotFoundError(_("Không tìm thấy đơn vị."))


def position_get_for_actor(actor: Person, pk: int) -> Position:
    """The position `pk` (with its person and unit) if `actor` may see its unit."""
    position = Position.objects.select_related("person", "unit").filter(pk=pk).first()
    if position is None or not can_view(actor, position.unit):
        raise NotFoundError(_("Không tìm thấy chức vụ."))
    return position


# --------------------------------------------------------------------------------------------
# people


def may_manage_person(actor: Person, target: Person) -> Decision:
    """registry.manage over `target`, decided as person_update decides it: over a unit where
    they hold (or, lacking a current one, held) a position."""
    return authority.check_over_person(actor, target, Power.REGISTRY_MANAGE)


def require_manage_person(actor: Person, target: Person) -> Decision:
    """Like may_manage_person(), but raise AuthorityError with the reason when the answer is no."""
    return authority.require_over_person(actor, target, Power.REGISTRY_MANAGE)


def person_get_for_actor(actor: Person, pk: int) -> Person:
    """The person `pk` if `actor` may see them: themself, someone who holds or held a position
    in a unit `actor` may see, or (never appointed anywhere) someone `actor` may manage. Never
    Baro's system actor. Anyone else is a NotFoundError."""
    target = Person.objects.filter(pk=pk, is_system=False).select_related("user").first()
    if target is None:
        raise NotFoundError(_("Không tìm thấy cán bộ."))
    if target.pk == actor.pk:
        return target
    held = Position.objects.filter(person=target)
    if units_visible_to(actor).filter(pk__in=held.values("unit_id")).exists():
        return target
    if not held.exists() and may_manage_person(actor, target):
        return target
    raise NotFoundError(_("Không tìm thấy cán bộ."))


# --------------------------------------------------------------------------------------------
# delegations


def require_delegation_grant(actor: Person, delegator: Person, unit: Unit) -> Decision:
    """The delegator gives their own powers; anyone else needs registry.manage over `unit`.
    (Which powers the delegator may give is the command's check: those they hold there.)"""
    if actor.pk == delegator.pk:
        return Decision(True, Power.REGISTRY_MANAGE, _("Người ủy quyền tự ủy quyền."))
    return require_manage(actor, unit)


def require_delegation_revoke(actor: Person, delegation: Delegation) -> Decision:
    """The delegator takes back what they gave; anyone else needs registry.manage over its unit."""
    if actor.pk == delegation.delegator_id:
        return Decision(True, Power.REGISTRY_MANAGE, _("Người ủy quyền thu hồi."))
    return require_manage(actor, delegation.unit)


def delegation_get_for_actor(actor: Person, pk: int) -> Delegation:
    """The delegation `pk` (with both people and its unit) if `actor` gave or received it, or
    may see its unit; else NotFoundError."""
    delegation = (
        Delegation.objects.select_related("delegator", "delegate", "unit").filter(pk=pk).first()
    )
    if delegation is None or (
        actor.pk not in (delegation.delegator_id, delegation.delegate_id)
        and not can_view(actor, delegation.unit)
    ):
        raise NotFoundError(_("Không tìm thấy ủy quyền."))
    return delegation


# --------------------------------------------------------------------------------------------
# API tokens


def may_manage_tokens(actor: Person, owner: Person) -> Decision:
    """Issue and revoke `owner`'s API tokens: one's own while in post, or registry.manage over
    the owner (an administrator of a unit where they hold a position)."""
    if actor.pk == owner.pk and not actor.is_system:
        if not owner.is_active:
            return Decision(
                False,
                Power.REGISTRY_MANAGE,
                _("%(owner)s không còn công tác.") % {"owner": owner.full_name},
            )
        return Decision(True, Power.REGISTRY_MANAGE, _("Tự quản lý mã truy cập của mình."))
    return may_manage_person(actor, owner)


def require_token_authority(actor: Person, owner: Person) -> Decision:
    """Like may_manage_tokens(), but raise AuthorityError with the reason when the answer is no."""
    if actor.pk == owner.pk and not actor.is_system:
        decision = may_manage_tokens(actor, owner)
        if not decision:
            raise AuthorityError(decision.reason)
        return decision
    return authority.require_over_person(actor, owner, Power.REGISTRY_MANAGE)


def token_get_for_actor(actor: Person, pk: int) -> ApiToken:
    """The API token `pk` (with its owner) if `actor` may see its owner (their own tokens
    included); else NotFoundError. Only its hash is stored: nothing secret is read."""
    token = ApiToken.objects.select_related("person").filter(pk=pk).first()
    if token is None:
        raise NotFoundError(_("Không tìm thấy mã truy cập."))
    if token.person_id != actor.pk:
        try:
            person_get_for_actor(actor, token.person_id)
        except NotFoundError:
            raise NotFoundError(_("Không tìm thấy mã truy cập.")) from None
    return token
