"""The work schemas validate a plain dict with pydantic's own dict validation (baro.work.schemas
.Schema) instead of ninja's DjangoGetter: the same answer, value for value and error for error.

The reference is ninja's path itself: each schema rebuilt on ninja's own Schema (same fields,
nested schemas rebuilt likewise), validating the same dict through a DjangoGetter."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import operator
import types
import typing
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ninja import Schema as NinjaSchema
from ninja.schema import DjangoGetter
from pydantic import ValidationError, create_model

from baro.work import schemas

SCHEMAS = [
    cls
    for _, cls in inspect.getmembers(schemas, inspect.isclass)
    if issubclass(cls, schemas.Schema) and cls is not schemas.Schema
]

# What a JSON body can hold, and what a serialiser hands over (dates, datetimes).
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["2026-11-28", "28/11/2026", "12", "x", "", "true", "1.5"]),
    st.dates(),
    st.datetimes(timezones=st.just(dt.UTC)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _on_ninja(annotation: Any) -> Any:
    """The annotation with every work schema in it replaced by its ninja-based twin."""
    if isinstance(annotation, type) and issubclass(annotation, schemas.Schema):
        return _ninja_twin(annotation)
    args = typing.get_args(annotation)
    if not args:
        return annotation
    twins = tuple(_on_ninja(arg) for arg in args)
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        return functools.reduce(operator.or_, twins)
    return origin[twins]


@functools.cache
def _ninja_twin(cls: type[schemas.Schema]) -> type[NinjaSchema]:
    fields: dict[str, Any] = {
        name: (_on_ninja(field.annotation), field) for name, field in cls.model_fields.items()
    }
    return create_model(f"Ninja{cls.__name__}", __base__=NinjaSchema, **fields)


def _outcome(cls: type[Any], data: Any) -> tuple[str, Any]:
    try:
        return "ok", cls.model_validate(data).model_dump()
    except ValidationError as exc:
        return "error", [(e["loc"], e["type"], e["msg"]) for e in exc.errors()]


def _fitting(annotation: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values a JSON body or a serialiser would give for `annotation`, good or nearly so."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        return st.one_of(*(_fitting(arg, depth) for arg in args))
    if origin is list:
        return st.lists(_fitting(args[0], depth + 1), max_size=2)
    if isinstance(annotation, type) and issubclass(annotation, schemas.Schema):
        return _bodies(annotation, depth + 1) if depth < 2 else st.just({})
    return {
        int: st.one_of(st.integers(-5, 10**6), st.sampled_from(["7", "7.0", "x"])),
        str: st.one_of(st.text(max_size=8), st.integers(0, 9)),
        bool: st.one_of(st.booleans(), st.sampled_from(["true", "no", 1, 2])),
        dt.date: st.one_of(st.dates(), st.sampled_from(["2026-11-28", "28/11/2026"])),
        dt.datetime: st.one_of(st.datetimes(), st.just("2026-11-28T08:00:00Z")),
        type(None): st.none(),
    }.get(annotation, VALUES)


def _bodies(cls: type[schemas.Schema], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts over the schema's fields: either every required field with a fitting value (the
    others maybe), or each field present or not with a fitting value or anything; sometimes a
    stray key."""
    fitting = {name: _fitting(f.annotation, depth) for name, f in cls.model_fields.items()}
    required = {name for name, f in cls.model_fields.items() if f.is_required()}
    stray = {"unknown": VALUES}
    nearly_valid = st.fixed_dictionaries(
        {name: fitting[name] for name in required},
        optional={**{name: v for name, v in fitting.items() if name not in required}, **stray},
    )
    anything = st.fixed_dictionaries(
        {}, optional={**{name: st.one_of(v, VALUES) for name, v in fitting.items()}, **stray}
    )
    return st.one_of(nearly_valid, anything)


def test_every_work_schema_takes_the_dict_path() -> None:
    assert len(SCHEMAS) > 20
    for cls in SCHEMAS:
        assert not cls._ninja_resolvers, cls  # a resolver would need ninja's getter
        twin = _ninja_twin(cls)
        assert set(twin.model_fields) == set(cls.model_fields)
        assert twin.model_json_schema().get("required") == cls.model_json_schema().get("required")
    twin = _ninja_twin(schemas.TaskOut)
    assert twin.model_fields["lead_unit"].annotation is _ninja_twin(schemas.UnitRef)
    assert issubclass(_ninja_twin(schemas.UnitRef), NinjaSchema)
    assert not issubclass(_ninja_twin(schemas.UnitRef), schemas.Schema)


@pytest.mark.parametrize("cls", SCHEMAS, ids=lambda cls: cls.__name__)
def test_a_dict_validates_as_through_ninjas_getter(cls: type[schemas.Schema]) -> None:
    @settings(max_examples=80, deadline=None)
    @given(_bodies(cls))
    def same(body: dict[str, Any]) -> None:
        assert _outcome(cls, body) == _outcome(_ninja_twin(cls), body)

    same()


def test_a_valid_task_body_and_answer() -> None:
    body = {
        "title": "Rà soát thủ tục",
        "lead_unit_id": "2",  # coerced as before
        "assigning_unit_id": 1,
        "deadline_rule": "working_days",
        "deadline_days": 10,
        "coordinators": [{"unit_id": 3, "sub_deadline": "2026-12-01"}],
    }
    parsed = schemas.TaskAssignIn.model_validate(body)
    assert parsed.lead_unit_id == 2
    assert parsed.coordinators[0].sub_deadline == dt.date(2026, 12, 1)
    assert _outcome(schemas.TaskAssignIn, body) == _outcome(_ninja_twin(schemas.TaskAssignIn), body)
    missing = _outcome(schemas.TaskAssignIn, {"title": "x"})
    assert missing[0] == "error"
    assert {loc for loc, kind, _ in missing[1] if kind == "missing"} == {
        ("lead_unit_id",),
        ("assigning_unit_id",),
        ("deadline_rule",),
    }


def test_objects_still_go_through_ninjas_getter(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    original = DjangoGetter.__init__

    def spy(self: DjangoGetter, obj: Any, *args: Any, **kwargs: Any) -> None:
        seen.append(obj)
        original(self, obj, *args, **kwargs)

    monkeypatch.setattr(DjangoGetter, "__init__", spy)
    unit = SimpleNamespace(id=1, code="HN", name="Hà Nội")
    assert schemas.UnitRef.model_validate(unit).code == "HN"
    assert seen == [unit]
    seen.clear()
    assert schemas.UnitRef.model_validate({"id": 1, "code": "HN", "name": "Hà Nội"}).id == 1
    assert seen == []
