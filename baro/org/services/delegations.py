"""Delegations (ủy quyền): explicit, scoped to a unit's subtree, bounded in time, revocable.

The authority module reads them (baro.org.authority.check); these commands grant and revoke.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from baro.core.errors import DomainError
from baro.core.run import command
from baro.core.timeutil import format_date, now
from baro.ledger.services import record_action
from baro.org import authority
from baro.org.authority import Power
from baro.org.models import Delegation, Person, Unit
from baro.org.permissions import require_delegation_grant, require_delegation_revoke
from baro.org.services._shared import (
    OBJ_DELEGATION,
    aware,
    clean,
    delegation_state,
    ensure_active_unit,
    locked_unit,
    required,
)


@command
def delegation_grant(
    *,
    actor: Person,
    delegator: Person,
    delegate: Person,
    unit: Unit,
    powers: Sequence[str],
    valid_from: dt.datetime,
    valid_to: dt.datetime,
    reason: str,
    decision_ref: str = "",
) -> Delegation:
    """Let `delegate` use some of `delegator`'s own powers over `unit`'s subtree for a while.

    The actor is the delegator, or someone with registry.manage over `unit`. Only powers the
    delegator holds by position (not by another delegation) over `unit` at `valid_from` may be
    delegated, and not beyond the end of that position.
    """
    decision = require_delegation_grant(actor, delegator, unit)
    unit = locked_unit(unit)
    reason = required(reason, "reason", _("lý do ủy quyền"))
    aware(valid_from, "valid_from")
    aware(valid_to, "valid_to")
    if delegator.pk == delegate.pk:
        raise DomainError(
            "org.delegation_self", _("Không thể tự ủy quyền cho chính mình."), field="delegate"
        )
    if valid_to <= valid_from:
        raise DomainError(
            "org.delegation_bad_range",
            _("Thời điểm kết thúc ủy quyền phải sau thời điểm bắt đầu."),
            field="valid_to",
        )
    if delegate.is_system or not delegate.is_active:
        raise DomainError(
            "org.person_inactive",
            _("%(delegate)s không thể nhận ủy quyền.") % {"delegate": delegate.full_name},
            field="delegate",
        )
    powers = list(dict.fromkeys(powers))
    if not powers:
        raise DomainError(
            "org.delegation_no_powers", _("Chưa chọn quyền ủy quyền."), field="powers"
        )
    unknown = [power for power in powers if power not in Power.values]
    if unknown:
        raise DomainError(
            "org.delegation_unknown_power",
            _("Quyền không tồn tại: %(unknown)s.") % {"unknown": ", ".join(unknown)},
            field="powers",
        )
    start_day = timezone.localtime(valid_from).date()
    ensure_active_unit(unit, start_day, "unit")
    for power in powers:
        positions = authority.positions_granting(delegator, power, unit, day=start_day)
        if not positions:
            raise DomainError(
                "org.delegation_power_not_held",
                _(
                    "%(delegator)s không giữ quyền “%(power)s” đối với "
                    "%(unit)s vào ngày %(start_day)s, nên không thể ủy quyền."
                )
                % {
                    "delegator": delegator.full_name,
                    "power": authority.power_label(power),
                    "unit": unit.name,
                    "start_day": format_date(start_day),
                },
                field="powers",
            )
        if all(position.valid_to is not None for position in positions):
            last_day = max(position.valid_to for position in positions if position.valid_to)
            position_end = timezone.make_aware(dt.datetime.combine(last_day, dt.time.min))
            if valid_to > position_end:
                raise DomainError(
                    "org.delegation_outlives_position",
                    _(
                        "Ủy quyền không thể kéo dài quá ngày %(last_day)s, khi chức vụ "
                        "của %(delegator)s kết thúc."
                    )
                    % {"last_day": format_date(last_day), "delegator": delegator.full_name},
                    field="valid_to",
                )
    delegation = Delegation(
        delegator=delegator,
        delegate=delegate,
        unit=unit,
        powers=powers,
        valid_from=valid_from,
        valid_to=valid_to,
        reason=reason,
        decision_ref=decision_ref,
    )
    clean(delegation, exclude=["delegator", "delegate", "unit"])
    delegation.save(force_insert=True)
    record_action(
        actor=actor,
        decision=decision,
        action="org.delegation.granted",
        object_type=OBJ_DELEGATION,
        object_id=delegation.pk,
        payload={"before": None, "after": delegation_state(delegation)},
    )
    return delegation


@command
def delegation_revoke(*, actor: Person, delegation: Delegation, reason: str) -> Delegation:
    """Revoke a delegation now (the delegator, or registry.manage over its unit)."""
    delegation = Delegation.objects.select_for_update().select_related("unit").get(pk=delegation.pk)
    decision = require_delegation_revoke(actor, delegation)
    reason = required(reason, "reason", _("lý do thu hồi"))
    if delegation.revoked_at is not None:
        raise DomainError(
            "org.delegation_already_revoked", _("Ủy quyền này đã bị thu hồi."), field="delegation"
        )
    before = delegation_state(delegation)
    delegation.revoked_at = now()
    delegation.revoke_reason = reason[:255]
    delegation.save(update_fields=["revoked_at", "revoke_reason"])
    record_action(
        actor=actor,
        decision=decision,
        action="org.delegation.revoked",
        object_type=OBJ_DELEGATION,
        object_id=delegation.pk,
        payload={"before": before, "after": delegation_state(delegation)},
    )
    return delegation
