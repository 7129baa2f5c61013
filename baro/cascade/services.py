"""Commands of the cascade: the only code that changes receipts and acknowledgements.

Like baro.work.services, every command is keyword-only and takes the acting `actor`; it is a
`@command` (transaction.atomic), run inside the transaction its entry point begins
(baro.core.run.run_command), so the demo or a later importer may compose several in one. It
authorises first (baro.cascade.permissions), re-reads the row it decides on with
select_for_update, validates (DomainError with a stable `cascade.*` code, a Vietnamese message
and the field at fault), writes, and appends exactly one ledger event with the before/after of
the change.

Who may do what:
- send a directive to units: directive.issue or directive.register over its issuing unit
  (the leader or the secretariat who sends the dispatch); the units must be active, in the
  issuing unit's tree, not the issuing unit itself, and not have received it yet. Sending to
  30 units is one command and one event;
- forward a receipt to sub-units, issue the unit's plan, record its deployment: task.assign
  over the receiving unit, which its head and deputies hold (a deputy signs plans "KT." for
  the head); by Baro's authority model a head of a unit above holds it too, or a delegate;
- acknowledge ("đã quán triệt"): only a current member of the receiving unit, for themselves.
  A second click is a no-op: it returns the first acknowledgement and records nothing, so a
  double click on a slow network never shows an error nor writes a second event.

Dates: the dues are calendar days from the day the unit received the directive (24-CT/TU says
"trong 1 tuần", "trong 2 tuần"), moved to the next working day when they fall on a day off,
as every calendar-day deadline in Baro (BLDS 2015, Điều 148; baro.workdays.calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from baro.cascade.members import unit_members
from baro.cascade.models import Acknowledgement, DeploymentForm, DirectiveReceipt
from baro.cascade.notices import tell_received
from baro.cascade.permissions import require_can_acknowledge, require_can_act_on
from baro.core.errors import ConflictError, DomainError, NotFoundError
from baro.core.run import command
from baro.core.timeutil import format_date, now, today
from baro.core.validation import clean_fields, required_text
from baro.ledger.services import record_action
from baro.org.models import Person, Unit
from baro.work.models import Directive
from baro.work.permissions import require_directive_side
from baro.workdays.calendar import add_calendar_days

OBJ_DIRECTIVE = "work.directive"
OBJ_RECEIPT = "cascade.receipt"

__all__ = [
    "deployment_record",
    "directive_send",
    "dues_for",
    "plan_issue",
    "receipt_acknowledge",
    "receipt_forward",
]

_clean = partial(clean_fields, area="cascade")
_required = partial(required_text, area="cascade")


# --------------------------------------------------------------------------------------------
# helpers


def dues_for(directive: Directive, sent_on: dt.date) -> tuple[dt.date, dt.date]:
    """(plan due, deployment due) of a unit that received `directive` on `sent_on`."""
    return (
        add_calendar_days(sent_on, directive.plan_days),
        add_calendar_days(sent_on, directive.deploy_days),
    )


def _locked_receipt(receipt: DirectiveReceipt) -> DirectiveReceipt:
    try:
        return (
            DirectiveReceipt.objects.select_for_update()
            .select_related("unit", "directive")
            .get(pk=receipt.pk)
        )
    except DirectiveReceipt.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy văn bản đơn vị nhận.")) from exc


def _receipt_state(receipt: DirectiveReceipt) -> dict[str, Any]:
    return {
        "directive_id": receipt.directive_id,
        "unit_id": receipt.unit_id,
        "parent_id": receipt.parent_id,
        "sent_on": receipt.sent_on,
        "plan_due": receipt.plan_due,
        "deploy_due": receipt.deploy_due,
        "plan_number_symbol": receipt.plan_number_symbol,
        "plan_title": receipt.plan_title,
        "plan_issued_on": receipt.plan_issued_on,
        "deployed_on": receipt.deployed_on,
        "deployment_form": receipt.deployment_form,
        "deployment_note": receipt.deployment_note,
        "member_count": receipt.member_count,
    }


def _not_in_future(day: dt.date, field: str, label: str) -> None:
    if day > today():
        raise DomainError(
            "cascade.date_in_future",
            _("%(label)s không được sau ngày hôm nay.") % {"label": label},
            field=field,
        )


def _distinct_units(units: Sequence[Unit]) -> list[Unit]:
    if not units:
        raise DomainError("cascade.no_units", _("Chưa chọn đơn vị nhận."), field="units")
    seen: set[int] = set()
    for unit in units:
        if unit.pk in seen:
            raise DomainError(
                "cascade.unit_duplicate",
                _("%(unit)s được chọn hai lần.") % {"unit": unit.name},
                field="units",
            )
        seen.add(unit.pk)
    return list(units)


def _check_active(units: Sequence[Unit], day: dt.date) -> None:
    inactive = [unit.name for unit in units if not unit.is_active_on(day)]
    if inactive:
        raise DomainError(
            "cascade.unit_inactive",
            _("Đơn vị không còn hiệu lực vào ngày %(day)s: %(inactive)s.")
            % {"day": format_date(day), "inactive": ", ".join(inactive)},
            field="units",
            details={"units": inactive},
        )


def _check_not_received(directive: Directive, units: Sequence[Unit]) -> None:
    already = list(
        DirectiveReceipt.objects.filter(directive=directive, unit__in=units)
        .order_by("unit__path")
        .values_list("unit__name", flat=True)
    )
    if already:
        raise ConflictError(
            "cascade.already_sent",
            _("Văn bản %(number_symbol)s đã được gửi đến: %(already)s.")
            % {"number_symbol": directive.number_symbol, "already": ", ".join(already)},
            field="units",
            details={"units": already},
        )


def _create_receipts(
    *,
    actor: Person,
    directive: Directive,
    units: Sequence[Unit],
    sent_on: dt.date,
    parent: DirectiveReceipt | None,
) -> list[DirectiveReceipt]:
    plan_due, deploy_due = dues_for(directive, sent_on)
    receipts = [
        DirectiveReceipt(
            directive=directive,
            unit=unit,
            parent=parent,
            sent_by=actor,
            sent_on=sent_on,
            plan_due=plan_due,
            deploy_due=deploy_due,
        )
        for unit in units
    ]
    try:
        with transaction.atomic():
            created = DirectiveReceipt.objects.bulk_create(receipts)
    except IntegrityError as exc:  # a concurrent send to one of the same units
        raise ConflictError(
            "cascade.already_sent",
            _("Văn bản %(number_symbol)s vừa được gửi đến một trong các đơn vị này.")
            % {"number_symbol": directive.number_symbol},
            field="units",
        ) from exc
    return created


# --------------------------------------------------------------------------------------------
# send and forward


@command
def directive_send(
    *,
    actor: Person,
    directive: Directive,
    units: Sequence[Unit],
    sent_on: dt.date | None = None,
) -> list[DirectiveReceipt]:
    """Send `directive` to `units` (received on `sent_on`, default today): one event for all.

    Each unit gets a receipt with its plan and deployment dues. Refused as a whole (nothing
    written) if any unit is inactive, outside the issuer's tree, or already received it.
    """
    decision = require_directive_side(actor, directive.issuing_unit)
    # Locking the directive serialises two sends of it, so "already sent" is decided on
    # the current rows (the unique constraint stays the last line of defence).
    directive = (
        Directive.objects.select_for_update().select_related("issuing_unit").get(pk=directive.pk)
    )
    if not directive.requires_cascade:
        raise DomainError(
            "cascade.not_required",
            _("Văn bản %(number_symbol)s không yêu cầu cụ thể hóa, triển khai.")
            % {"number_symbol": directive.number_symbol},
            field="directive",
        )
    sent_on = sent_on or today()
    _not_in_future(sent_on, "sent_on", _("Ngày gửi"))
    if sent_on < directive.signed_on:
        raise DomainError(
            "cascade.sent_before_signed",
            _("Ngày gửi %(sent_on)s trước ngày ký %(signed_on)s.")
            % {"sent_on": format_date(sent_on), "signed_on": format_date(directive.signed_on)},
            field="sent_on",
        )
    units = _distinct_units(units)
    issuer = directive.issuing_unit
    outside = [
        unit.name
        for unit in units
        if unit.pk == issuer.pk or unit.ancestor_ids[0] != issuer.ancestor_ids[0]
    ]
    if outside:
        raise DomainError(
            "cascade.unit_outside",
            _(
                "Không gửi được đến: %(outside)s (chính cơ quan ban hành hoặc ngoài hệ "
                "thống của cơ quan ban hành)."
            )
            % {"outside": ", ".join(outside)},
            field="units",
            details={"units": outside},
        )
    _check_active(units, sent_on)
    _check_not_received(directive, units)
    receipts = _create_receipts(
        actor=actor, directive=directive, units=units, sent_on=sent_on, parent=None
    )
    record_action(
        actor=actor,
        decision=decision,
        action="cascade.directive.sent",
        object_type=OBJ_DIRECTIVE,
        object_id=directive.pk,
        payload={
            "sent_on": sent_on,
            "plan_due": receipts[0].plan_due,
            "deploy_due": receipts[0].deploy_due,
            "receipts": [{"id": r.pk, "unit_id": r.unit_id} for r in receipts],
        },
    )
    tell_received(actor, directive, receipts, sender=directive.issuing_unit.name)
    return receipts


@command
def receipt_forward(
    *,
    actor: Person,
    receipt: DirectiveReceipt,
    units: Sequence[Unit],
    sent_on: dt.date | None = None,
) -> list[DirectiveReceipt]:
    """Send a received directive on to sub-units of the receiving unit: one event for all.

    Each sub-unit gets its own receipt (parent = `receipt`) with dues counted from `sent_on`.
    """
    decision = require_can_act_on(actor, receipt)
    receipt = _locked_receipt(receipt)
    sent_on = sent_on or today()
    _not_in_future(sent_on, "sent_on", _("Ngày chuyển"))
    if sent_on < receipt.sent_on:
        raise DomainError(
            "cascade.forward_before_received",
            _("Ngày chuyển %(sent_on)s trước ngày đơn vị nhận văn bản %(received_on)s.")
            % {"sent_on": format_date(sent_on), "received_on": format_date(receipt.sent_on)},
            field="sent_on",
        )
    units = _distinct_units(units)
    outside = [
        unit.name
        for unit in units
        if unit.pk == receipt.unit_id or not unit.path.startswith(receipt.unit.path)
    ]
    if outside:
        raise DomainError(
            "cascade.unit_outside",
            _("Chỉ chuyển được cho đơn vị trực thuộc %(unit)s; không chuyển được đến: %(outside)s.")
            % {"unit": receipt.unit.name, "outside": ", ".join(outside)},
            field="units",
            details={"units": outside},
        )
    _check_active(units, sent_on)
    _check_not_received(receipt.directive, units)
    forwards = _create_receipts(
        actor=actor, directive=receipt.directive, units=units, sent_on=sent_on, parent=receipt
    )
    record_action(
        actor=actor,
        decision=decision,
        action="cascade.receipt.forwarded",
        object_type=OBJ_RECEIPT,
        object_id=receipt.pk,
        payload={
            "directive_id": receipt.directive_id,
            "sent_on": sent_on,
            "plan_due": forwards[0].plan_due,
            "deploy_due": forwards[0].deploy_due,
            "receipts": [{"id": r.pk, "unit_id": r.unit_id} for r in forwards],
        },
    )
    tell_received(actor, receipt.directive, forwards, sender=receipt.unit.name)
    return forwards


# --------------------------------------------------------------------------------------------
# plan and deployment


@command
def plan_issue(
    *,
    actor: Person,
    receipt: DirectiveReceipt,
    number_symbol: str,
    issued_on: dt.date,
    title: str,
) -> DirectiveReceipt:
    """Record the receiving unit's own implementation plan (once; not before it was received,
    not in the future). Late is allowed: the overview shows by how many days."""
    decision = require_can_act_on(actor, receipt)
    receipt = _locked_receipt(receipt)
    if receipt.plan_issued_on is not None:
        raise ConflictError(
            "cascade.plan_already_issued",
            _("%(unit)s đã ban hành kế hoạch số %(plan_number_symbol)s ngày %(plan_issued_on)s.")
            % {
                "unit": receipt.unit.name,
                "plan_number_symbol": receipt.plan_number_symbol,
                "plan_issued_on": format_date(receipt.plan_issued_on),
            },
            field="number_symbol",
        )
    number_symbol = " ".join(
        _required(number_symbol, "number_symbol", _("số, ký hiệu kế hoạch")).split()
    )
    title = _required(title, "title", _("trích yếu kế hoạch"))
    if issued_on is None:
        raise DomainError(
            "cascade.field_required", _("Chưa nhập ngày ban hành kế hoạch."), field="issued_on"
        )
    _not_in_future(issued_on, "issued_on", _("Ngày ban hành kế hoạch"))
    if issued_on < receipt.sent_on:
        raise DomainError(
            "cascade.plan_before_sent",
            _("Ngày ban hành kế hoạch %(issued_on)s trước ngày nhận văn bản %(sent_on)s.")
            % {"issued_on": format_date(issued_on), "sent_on": format_date(receipt.sent_on)},
            field="issued_on",
        )
    before = _receipt_state(receipt)
    receipt.plan_number_symbol = number_symbol
    receipt.plan_title = title
    receipt.plan_issued_on = issued_on
    receipt.plan_recorded_by = actor
    _clean(receipt, exclude=["directive", "unit", "parent", "sent_by"])
    receipt.save(
        update_fields=["plan_number_symbol", "plan_title", "plan_issued_on", "plan_recorded_by"]
    )
    record_action(
        actor=actor,
        decision=decision,
        action="cascade.plan.issued",
        object_type=OBJ_RECEIPT,
        object_id=receipt.pk,
        payload={"before": before, "after": _receipt_state(receipt)},
    )
    return receipt


@command
def deployment_record(
    *,
    actor: Person,
    receipt: DirectiveReceipt,
    deployed_on: dt.date,
    form: str,
    note: str = "",
) -> DirectiveReceipt:
    """Record that the unit deployed its plan to its members (after the plan; once).

    The number of members that day is kept as a snapshot next to the deployment.
    """
    decision = require_can_act_on(actor, receipt)
    receipt = _locked_receipt(receipt)
    if receipt.deployed_on is not None:
        raise ConflictError(
            "cascade.already_deployed",
            _("%(unit)s đã quán triệt, triển khai ngày %(deployed_on)s.")
            % {"unit": receipt.unit.name, "deployed_on": format_date(receipt.deployed_on)},
            field="deployed_on",
        )
    if receipt.plan_issued_on is None:
        raise DomainError(
            "cascade.plan_missing",
            _("%(unit)s chưa ban hành kế hoạch: ghi nhận kế hoạch trước khi triển khai.")
            % {"unit": receipt.unit.name},
            field="deployed_on",
        )
    if form not in DeploymentForm.values:
        raise DomainError(
            "cascade.invalid_choice",
            _("Hình thức “%(form)s” không hợp lệ.") % {"form": form},
            field="form",
        )
    if deployed_on is None:
        raise DomainError(
            "cascade.field_required",
            _("Chưa nhập ngày quán triệt, triển khai."),
            field="deployed_on",
        )
    _not_in_future(deployed_on, "deployed_on", _("Ngày quán triệt, triển khai"))
    if deployed_on < receipt.plan_issued_on:
        raise DomainError(
            "cascade.deploy_before_plan",
            _("Ngày triển khai %(deployed_on)s trước ngày ban hành kế hoạch %(plan_issued_on)s.")
            % {
                "deployed_on": format_date(deployed_on),
                "plan_issued_on": format_date(receipt.plan_issued_on),
            },
            field="deployed_on",
        )
    before = _receipt_state(receipt)
    receipt.deployed_on = deployed_on
    receipt.deployment_form = form
    receipt.deployment_note = (note or "").strip()
    receipt.member_count = len(unit_members(receipt.unit, deployed_on))
    receipt.deployment_recorded_by = actor
    _clean(receipt, exclude=["directive", "unit", "parent", "sent_by"])
    receipt.save(
        update_fields=[
            "deployed_on",
            "deployment_form",
            "deployment_note",
            "member_count",
            "deployment_recorded_by",
        ]
    )
    record_action(
        actor=actor,
        decision=decision,
        action="cascade.deployment.recorded",
        object_type=OBJ_RECEIPT,
        object_id=receipt.pk,
        payload={"before": before, "after": _receipt_state(receipt)},
    )
    return receipt


# --------------------------------------------------------------------------------------------
# acknowledgement


@command
def receipt_acknowledge(*, actor: Person, receipt: DirectiveReceipt) -> Acknowledgement:
    """ "Đã quán triệt": a current member of the receiving unit acknowledges, in one click.

    Idempotent: a second call returns the first acknowledgement and records no event.
    """
    receipt = _locked_receipt(receipt)
    require_can_acknowledge(actor, receipt)
    existing = Acknowledgement.objects.filter(receipt=receipt, person=actor).first()
    if existing is not None:
        return existing  # a second click: nothing to do, nothing to record
    acknowledgement = Acknowledgement.objects.create(
        receipt=receipt, person=actor, acknowledged_at=now()
    )
    record_action(
        actor=actor,
        decision=None,
        action="cascade.acknowledgement.recorded",
        object_type=OBJ_RECEIPT,
        object_id=receipt.pk,
        payload={
            "directive_id": receipt.directive_id,
            "unit_id": receipt.unit_id,
            "person_id": actor.pk,
            "acknowledged_at": acknowledgement.acknowledged_at,
        },
    )
    return acknowledgement
