"""The cascade part of the demo story: a directive sent to units, each at its own pace.

Everything goes through the cascade's services with explicit dates, so the demo's ledger holds
the same events a real installation would. Called by the demo loader once the directive is
registered (see cascade_demo's docstring).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence

from baro.cascade import services
from baro.cascade.members import unit_members
from baro.cascade.models import DeploymentForm, DirectiveReceipt
from baro.core.timeutil import today
from baro.demo.story.documents import CITY_PLAN_NUMBER, D24, FINANCE_PLAN_NUMBER
from baro.demo.story.stage import At, Stage
from baro.org.models import Person, Unit, UnitKind
from baro.org.queries import children, unit_head
from baro.work.models import Directive

# What each receiving unit did, by its place in the list (cycled): the days after receiving
# it when the plan was issued and when it was deployed (None: not done), and whether every
# member acknowledged (False: the last member in the list never did).
PACES: tuple[tuple[int | None, int | None, bool], ...] = (
    (3, 10, True),  # on time all the way
    (5, 12, False),  # on time, one member has not acknowledged
    (6, 13, True),
    (10, 16, False),  # plan late by 3 days, deployment late by 2
    (4, None, False),  # planned on time, never deployed
    (None, None, False),  # nothing at all
)


def _day(sent_on: dt.date, offset: int | None) -> dt.date | None:
    """sent_on + offset, or None when not done or not yet happened by today."""
    if offset is None:
        return None
    day = sent_on + dt.timedelta(days=offset)
    return day if day <= today() else None


def _progress(receipt: DirectiveReceipt, pace: tuple[int | None, int | None, bool]) -> None:
    head = unit_head(receipt.unit)
    if head is None:
        return
    plan_offset, deploy_offset, everyone = pace
    planned = _day(receipt.sent_on, plan_offset)
    if planned is None:
        return
    services.plan_issue(
        actor=head.person,
        receipt=receipt,
        number_symbol=f"{receipt.pk % 900 + 100}/KH-{receipt.unit.code.rsplit('-', 1)[-1]}",
        issued_on=planned,
        title=f"Kế hoạch thực hiện văn bản số {receipt.directive.number_symbol}",
    )
    deployed = _day(receipt.sent_on, deploy_offset)
    if deployed is None or deployed < planned:
        return
    services.deployment_record(
        actor=head.person,
        receipt=receipt,
        deployed_on=deployed,
        form=DeploymentForm.CONFERENCE
        if receipt.unit.kind == UnitKind.COMMUNE
        else DeploymentForm.MEETING,
        note="Hội nghị quán triệt cán bộ, đảng viên toàn đơn vị.",
    )
    members = unit_members(receipt.unit, today())
    for member in members if everyone else members[:-1]:
        services.receipt_acknowledge(actor=member, receipt=receipt)


def cascade_demo(
    *,
    directive: Directive,
    sender: Person,
    units: Sequence[Unit],
    sent_on: dt.date,
    forward_from_first: int = 2,
) -> list[DirectiveReceipt]:
    """Send `directive` (requires_cascade) from `sender` to `units` on `sent_on`, then let each
    unit progress at one of PACES, cycled in the order given: plans on time and late, units
    deployed or not, members who never acknowledged. The first unit also forwards it to up to
    `forward_from_first` of its sub-units the day after (whose first plans it, the other does
    nothing). Steps dated after today are left undone. Returns the receipts, forwards included.

    Use a `sent_on` at least three weeks before today for the full story.
    """
    receipts = services.directive_send(
        actor=sender, directive=directive, units=units, sent_on=sent_on
    )
    for index, receipt in enumerate(receipts):
        _progress(receipt, PACES[index % len(PACES)])
    forwarded: list[DirectiveReceipt] = []
    first = receipts[0]
    head = unit_head(first.unit)
    forward_on = _day(first.sent_on, 1)
    sub_units = list(children(first.unit))[:forward_from_first]
    if head is not None and forward_on is not None and sub_units:
        forwarded = services.receipt_forward(
            actor=head.person, receipt=first, units=sub_units, sent_on=forward_on
        )
        for index, receipt in enumerate(forwarded):
            _progress(receipt, PACES[1] if index == 0 else PACES[-1])
    return [*receipts, *forwarded]


# --------------------------------------------------------------------------------------------
# the plot of the demo story (baro.demo.story): the same paces, scene by scene in time order

# Days after 24-CT/TU is signed (story day -150) when the Secretary sends it.
SEND_DAY = -149
# How many communes and wards receive it in the demo (the first ones of the registry, with
# Phường Hoàn Kiếm among them), besides the People's Committee and every department.
DEMO_COMMUNES = 24


def _scenes(
    receipt: DirectiveReceipt,
    pace: tuple[int | None, int | None, bool],
    *,
    plan_number: str = "",
) -> list[tuple[int, Callable[[Stage], None]]]:
    """The scenes (story day, action) of one receipt at `pace`, days counted from its sending."""
    start = SEND_DAY
    plan_offset, deploy_offset, everyone = pace
    scenes: list[tuple[int, Callable[[Stage], None]]] = []
    if plan_offset is None:
        return scenes
    plan_day = start + plan_offset

    def issue(stage: Stage) -> None:
        head = unit_head(receipt.unit)
        if head is None:
            return
        services.plan_issue(
            actor=head.person,
            receipt=receipt,
            number_symbol=plan_number
            or f"{receipt.pk % 900 + 100}/KH-{receipt.unit.code.rsplit('-', 1)[-1]}",
            issued_on=max(stage.day(plan_day), receipt.sent_on),
            title=f"Kế hoạch thực hiện Chỉ thị số {receipt.directive.number_symbol}",
        )

    scenes.append((plan_day, issue))
    if deploy_offset is None:
        return scenes
    deploy_day = start + deploy_offset

    def deploy(stage: Stage) -> None:
        found = DirectiveReceipt.objects.get(pk=receipt.pk)
        head = unit_head(found.unit)
        if head is None or found.plan_issued_on is None:
            return
        services.deployment_record(
            actor=head.person,
            receipt=found,
            deployed_on=max(stage.day(deploy_day), found.plan_issued_on),
            form=DeploymentForm.CONFERENCE
            if found.unit.kind == UnitKind.COMMUNE
            else DeploymentForm.MEETING,
            note="Quán triệt đến toàn thể cán bộ, đảng viên của đơn vị.",
        )

    def acknowledge(stage: Stage) -> None:
        members = unit_members(receipt.unit, stage.today)
        for member in members if everyone else members[:-1]:
            services.receipt_acknowledge(actor=member, receipt=receipt)

    scenes += [(deploy_day, deploy), (deploy_day + 1, acknowledge)]
    return scenes


def plot(stage: Stage) -> Iterator[At]:
    """The cascade of 24-CT/TU in the demo story: the Secretary sends it to the People's
    Committee, every department and the first wards and communes; the People's Committee plans
    and deploys on time (its plan is the story's 187/KH-UBND), the Finance Department late (its
    45/KH-STC) and forwards it to three of its divisions; the others follow PACES."""
    yield At(SEND_DAY, 9, 0)
    committee = stage.unit("HN-UBND")
    sent_on = stage.day(SEND_DAY)
    departments = list(
        children(committee, sent_on).filter(kind=UnitKind.DEPARTMENT).order_by("path")
    )
    communes = list(children(committee, sent_on).filter(kind=UnitKind.COMMUNE).order_by("path"))[
        :DEMO_COMMUNES
    ]
    receipts = services.directive_send(
        actor=stage.person("bithu"),
        directive=stage.directive(D24),
        units=[committee, *departments, *communes],
        sent_on=sent_on,
    )
    scenes: list[tuple[int, Callable[[Stage], None]]] = []
    finance: DirectiveReceipt | None = None
    for index, receipt in enumerate(receipts):
        if receipt.unit.code == "HN-UBND":
            scenes += _scenes(receipt, (5, 8, True), plan_number=CITY_PLAN_NUMBER)
        elif receipt.unit.code == "HN-STC":
            finance = receipt
            scenes += _scenes(receipt, (11, 16, False), plan_number=FINANCE_PLAN_NUMBER)
        else:
            scenes += _scenes(receipt, PACES[index % len(PACES)])
    if finance is not None:
        yield At(SEND_DAY + 2, 14, 0)
        divisions = list(children(finance.unit, stage.day(SEND_DAY + 2)).order_by("path"))[:3]
        forwarded = services.receipt_forward(
            actor=stage.head("HN-STC"),
            receipt=finance,
            units=divisions,
            sent_on=stage.day(SEND_DAY + 2),
        )
        for index, receipt in enumerate(forwarded):
            for day, action in _scenes(receipt, PACES[(index * 2) % len(PACES)]):
                scenes.append((day + 2, action))
    for day, action in sorted(scenes, key=lambda scene: scene[0]):
        if day >= 0:
            break  # not yet happened: the receipt stays pending
        yield At(day, 10, 0)
        action(stage)
