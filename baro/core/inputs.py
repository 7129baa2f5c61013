"""The bounds of what the API reads: ids, counts, dates and texts, refused by the parser.

Every request body and query parameter of /api/v1/ is typed with these (the bad-input test,
tests/test_api_bad_input.py, walks the OpenAPI document and checks that each integer has a
minimum and a maximum, each text a maxLength, each date the range below). A value outside
is answered 422 `validation_error` naming the field, before any command runs: a number no
database column holds (2**63), a deadline of 10 million days, a 10 MB title never reach a
service. The page kit's `limit`/`offset` are the one exception: they are clamped
(baro.core.paging).

Texts: a field stored in a CharField takes that column's max_length (`max_length_of`), so the
web form and the API agree; free text stored in a TextField (a description, a reason, a
progress report) takes LONG_TEXT_MAX, which the web forms use too.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db import models
from pydantic import AfterValidator, Field

from baro.core.timeutil import today

#: The largest id a database integer column holds.
MAX_ID = 2**63 - 1
#: Free text kept in a TextField: a description, a reason, a note, a progress report.
LONG_TEXT_MAX = 10_000
#: A short text that no column bounds (a search word, a code in a query string).
SHORT_TEXT_MAX = 255
#: A count of days (a deadline in calendar or working days, a cascade's plan and deployment
#: days): ten years of calendar days; the task form's "Số ngày" takes the same bound.
MAX_DEADLINE_DAYS = 3650
#: The years a period deadline or a yearly filter may name (the task form's bounds too).
PERIOD_YEAR_MIN = 2000
PERIOD_YEAR_MAX = 2100
#: How many units (or coordinators) one call may name, and how many ids of other rows.
MAX_UNITS_PER_CALL = 1000
MAX_IDS_PER_CALL = 1000
#: Dates a request may carry: from DATE_PAST_YEARS before today to DATE_FUTURE_YEARS after.
DATE_PAST_YEARS = 30
DATE_FUTURE_YEARS = 10
DATE_RANGE = f"từ {DATE_PAST_YEARS} năm trước đến {DATE_FUTURE_YEARS} năm sau ngày hiện tại"

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
LongText = Annotated[str, Field(max_length=LONG_TEXT_MAX)]
ShortText = Annotated[str, Field(max_length=SHORT_TEXT_MAX)]


def max_length_of(model: type[models.Model], name: str) -> int:
    """The max_length of a model's CharField: the API's bound for the text stored there."""
    field = model._meta.get_field(name)
    length = field.max_length if isinstance(field, models.Field) else None
    assert isinstance(length, int), f"{model.__name__}.{name} has no max_length"
    return length


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_bounds() -> tuple[dt.date, dt.date]:
    """The earliest and latest date a request may carry, today."""
    day = today()
    return _years_from(day, -DATE_PAST_YEARS), _years_from(day, DATE_FUTURE_YEARS)


def _date_in_range(value: dt.date) -> dt.date:
    first, last = date_bounds()
    if not first <= value <= last:
        raise ValueError(f"Ngày phải trong khoảng {DATE_RANGE} ({first:%d/%m/%Y}–{last:%d/%m/%Y}).")
    return value


def _datetime_in_range(value: dt.datetime) -> dt.datetime:
    _date_in_range(value.date())
    return value


_RANGE_DOC: dict[str, Any] = {"x-baro-range": DATE_RANGE}

Day = Annotated[dt.date, AfterValidator(_date_in_range), Field(json_schema_extra=_RANGE_DOC)]
Moment = Annotated[
    dt.datetime, AfterValidator(_datetime_in_range), Field(json_schema_extra=_RANGE_DOC)
]
