"""Registering a directing document (văn bản chỉ đạo) with its task groups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from baro.core.errors import ConflictError, DomainError
from baro.core.run import command
from baro.core.timeutil import today
from baro.ledger.services import record_action
from baro.org.models import Person, Unit
from baro.work.models import (
    Directive,
    DirectiveKind,
    TaskGroup,
)
from baro.work.permissions import (
    require_directive_side,
)
from baro.work.services.common import (
    OBJ_DIRECTIVE,
    choice,
    clean,
    required,
)


def _directive_state(directive: Directive, groups: Sequence[TaskGroup]) -> dict[str, Any]:
    return {
        "number_symbol": directive.number_symbol,
        "kind": directive.kind,
        "issuing_unit_id": directive.issuing_unit_id,
        "signer_id": directive.signer_id,
        "signed_on": directive.signed_on,
        "title": directive.title,
        "summary": directive.summary,
        "requires_cascade": directive.requires_cascade,
        "plan_days": directive.plan_days,
        "deploy_days": directive.deploy_days,
        "groups": [{"id": g.pk, "name": g.name, "order": g.order} for g in groups],
    }


@command
def directive_register(
    *,
    actor: Person,
    number_symbol: str,
    kind: str,
    issuing_unit: Unit,
    signed_on: dt.date,
    title: str,
    signer: Person | None = None,
    summary: str = "",
    requires_cascade: bool = False,
    plan_days: int | None = None,
    deploy_days: int | None = None,
    groups: Sequence[str] = (),
) -> Directive:
    """Register a directing document of `issuing_unit`, with its task groups, as one event.

    directive.register (the secretariat) or directive.issue (the leader) over `issuing_unit`.
    The same number may come back in another year, never twice in one year of one unit.
    """
    decision = require_directive_side(actor, issuing_unit)
    number_symbol = " ".join(required(number_symbol, "number_symbol", _("số, ký hiệu")).split())
    title = required(title, "title", _("trích yếu"))
    choice(kind, DirectiveKind, "kind", _("Loại văn bản"))
    if plan_days is None:
        plan_days = settings.BARO_CASCADE_PLAN_DAYS
    if deploy_days is None:
        deploy_days = settings.BARO_CASCADE_DEPLOY_DAYS
    if signed_on > today():
        raise DomainError(
            "work.signed_in_future", _("Ngày ký không được sau ngày hôm nay."), field="signed_on"
        )
    if plan_days < 1 or deploy_days < plan_days:
        raise DomainError(
            "work.cascade_days_invalid",
            _("Số ngày ban hành kế hoạch phải từ 1 trở lên và không lớn hơn số ngày triển khai."),
            field="plan_days" if plan_days < 1 else "deploy_days",
        )
    names = [name.strip() for name in groups]
    if any(not name for name in names):
        raise DomainError("work.field_required", _("Chưa nhập tên nhóm nhiệm vụ."), field="groups")
    if Directive.objects.filter(
        issuing_unit=issuing_unit, number_symbol=number_symbol, signed_on__year=signed_on.year
    ).exists():
        raise ConflictError(
            "work.directive_duplicate",
            _("%(issuing_unit)s đã có văn bản số %(number_symbol)s năm %(year)s.")
            % {
                "issuing_unit": issuing_unit.name,
                "number_symbol": number_symbol,
                "year": signed_on.year,
            },
            field="number_symbol",
        )
    directive = Directive(
        number_symbol=number_symbol,
        kind=kind,
        issuing_unit=issuing_unit,
        signer=signer,
        signed_on=signed_on,
        title=title,
        summary=summary,
        requires_cascade=requires_cascade,
        plan_days=plan_days,
        deploy_days=deploy_days,
        registered_by=actor,
    )
    clean(directive)
    try:
        with transaction.atomic():
            directive.save(force_insert=True)
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise ConflictError(
            "work.directive_duplicate",
            _("%(issuing_unit)s đã có văn bản số %(number_symbol)s năm %(year)s.")
            % {
                "issuing_unit": issuing_unit.name,
                "number_symbol": number_symbol,
                "year": signed_on.year,
            },
            field="number_symbol",
        ) from exc
    created = [
        TaskGroup.objects.create(directive=directive, name=name, order=index)
        for index, name in enumerate(names, start=1)
    ]
    record_action(
        actor=actor,
        decision=decision,
        action="work.directive.registered",
        object_type=OBJ_DIRECTIVE,
        object_id=directive.pk,
        payload={"before": None, "after": _directive_state(directive, created)},
    )
    return directive
