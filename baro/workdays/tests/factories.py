"""Factories for the calendar tests. They only arrange rows: tests of behaviour that leaves an
audit trail call the services instead."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from baro.org.tests.factories import PersonFactory
from baro.workdays.models import CalendarOverride, OverrideKind


class CalendarOverrideFactory(DjangoModelFactory[CalendarOverride]):
    class Meta:
        model = CalendarOverride

    kind = OverrideKind.HOLIDAY
    reason = "Nghỉ theo quyết định của Thủ tướng"
    set_by = factory.SubFactory(PersonFactory)
