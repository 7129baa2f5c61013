"""factory_boy factories for the registry and the calendar, shared by every package's tests.

They only arrange rows: anything that should leave an audit trail in a test is done by calling
the services instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from baro.org.models import Delegation, Person, Position, Role, Unit, UnitKind
from baro.org.services import unit_path
from baro.workdays.models import CalendarOverride, OverrideKind

LONG_AGO = dt.date(2020, 1, 1)


class UnitFactory(DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"DV{n:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = UnitKind.DEPARTMENT
    parent = None
    valid_from = LONG_AGO
    path = ""

    @classmethod
    def _create(cls, model_class: type[Unit], *args: Any, **kwargs: Any) -> Unit:
        parent: Unit | None = kwargs.get("parent")
        kwargs["depth"] = 0 if parent is None else parent.depth + 1
        unit = super()._create(model_class, *args, **kwargs)
        unit.path = unit_path(parent.path if parent else "", unit.pk)
        unit.save(update_fields=["path"])
        return unit


class UserFactory(DjangoModelFactory[Any]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("mat-khau-thu-nghiem")


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    code = factory.Sequence(lambda n: f"CB{n:05d}")
    user = factory.SubFactory(UserFactory)


class PositionFactory(DjangoModelFactory[Position]):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.OFFICER
    valid_from = LONG_AGO


class DelegationFactory(DjangoModelFactory[Delegation]):
    class Meta:
        model = Delegation

    delegator = factory.SubFactory(PersonFactory)
    delegate = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    powers = factory.LazyFunction(lambda: ["registry.manage"])
    valid_from = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    valid_to = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    reason = "Đi công tác"


class CalendarOverrideFactory(DjangoModelFactory[CalendarOverride]):
    class Meta:
        model = CalendarOverride

    kind = OverrideKind.HOLIDAY
    reason = "Nghỉ theo quyết định của Thủ tướng"
    set_by = factory.SubFactory(PersonFactory)
