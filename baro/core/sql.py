"""The plain-SQL paths of the hottest commands, in one place, each checked against the ORM.

What they replace and why (bench/task_transitions.py, bench/worker_pass.py, on this project's
2-vCPU box): a command spent most of its time in the ORM *building* statements, not in the
database running them.

- `locked_row(model, pk, related=…)` / `row_by(model, field, value, related=…)`: what
  `model.objects.select_for_update(of=("self",)).select_related(related).get(pk=pk)` and
  `model.objects.select_related(related).get(**{field: value})` return, as one statement
  written once per model and key: ~0.4 ms of queryset work down to ~0.05 ms.
- `insert_row(draft)`: what `draft.save(force_insert=True)` stores, as one cached statement:
  a task's insert 260-285 µs -> 120-128 µs (measured 07/12/2026, 3 × 2,000 inserts).
- `foreign_key_problem(obj, field)`: ForeignKey.validate's "does this row exist" as one
  `SELECT 1` instead of a queryset (~0.19 ms per key), for `baro.core.validation.clean_fields`.
- `statements()`: one Django cursor for the several plain statements of a step (ledger
  append, ladder step, notifications): opened once, so each statement costs Django's
  per-statement bookkeeping only.

Every statement goes through Django's own cursor (`connection.cursor()`), so query logging,
`execute_wrapper` and any instrumentation an operator adds see all of them. Tests
(`baro/core/tests/test_sql.py`, `baro/org/tests/test_commands_fast_paths.py`) compare each
path with the ORM's answer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models.expressions import Col, DatabaseDefault

from baro.core.ids import fits_integer_column

M = TypeVar("M", bound=models.Model)


class Statements:
    """execute(sql, params) -> the cursor, to fetch from; one per command step."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.cursor: CursorWrapper = connection.cursor()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> CursorWrapper:
        self.cursor.execute(sql, params)
        return self.cursor

    def close(self) -> None:
        self.cursor.close()


@contextmanager
def statements(connection: BaseDatabaseWrapper | None = None) -> Iterator[Statements]:
    """One Django cursor for the plain statements of a step, on the command's connection."""
    runner = Statements(connection or transaction.get_connection())
    try:
        yield runner
    finally:
        runner.close()


def locked_row(model: type[M], pk: int, *, related: str | None = None) -> M:
    """The row `pk` of `model`, locked for the rest of the transaction, with one foreign key
    (`related`) loaded: what `model.objects.select_for_update(of=("self",))
    .select_related(related).get(pk=pk)` returns, as one plain statement.

    Only the row itself is locked (FOR UPDATE OF on PostgreSQL; SQLite's IMMEDIATE
    transaction already holds the database's write lock). Raises model.DoesNotExist.
    """
    return _one_row(model, "pk", pk, related=related, lock=True)


def row_by(model: type[M], field: str, value: Any, *, related: str | None = None) -> M:
    """The row of `model` whose unique `field` equals `value`, with one foreign key loaded,
    unlocked: what `model.objects.select_related(related).get(**{field: value})` returns, as
    one plain statement, for the hot reads of every API request (the bearer token, the task a
    command names). Raises model.DoesNotExist."""
    return _one_row(model, field, value, related=related, lock=False)


def _missing(model: type[models.Model], field: str, value: Any) -> ObjectDoesNotExist:
    """The model's own DoesNotExist, as its manager's get() would raise it."""
    error: type[ObjectDoesNotExist] = model.DoesNotExist  # type: ignore[attr-defined]
    return error(f"{model.__name__} {field}={value!r} does not exist")


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A concrete field of `model` by name ("pk" for its primary key)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise ValueError(f"{model.__name__}.{name} is not a concrete field")
    return field


def _column(model: type[models.Model], name: str) -> str:
    column = _field(model, name).column
    assert column is not None  # a concrete field always has its column
    return column


def _one_row(model: type[M], field: str, value: Any, *, related: str | None, lock: bool) -> M:
    if not fits_integer_column(value):
        raise _missing(model, field, value)
    connection = connections[router.db_for_write(model)]
    plan = _row_plan(model, related, connection.alias, field, lock)
    key = _field(model, field)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, [key.get_db_prep_value(value, connection)])
        row = cursor.fetchone()
    if row is None:
        raise _missing(model, field, value)
    values = list(row)
    for index, (col, converters) in enumerate(plan.converters):
        for convert in converters:
            values[index] = convert(values[index], col, connection)
    split = len(plan.own)
    instance = model.from_db(connection.alias, [f.attname for f in plan.own], values[:split])
    if related is not None:
        target = _field(model, related).related_model
        assert isinstance(target, type)
        setattr(
            instance,
            related,
            target.from_db(connection.alias, [f.attname for f in plan.other], values[split:]),
        )
    return instance


def insert_row(draft: M, *, related: Iterable[str] = ()) -> M:
    """INSERT the unsaved `draft` as one plain statement and return the saved row: what
    `draft.save(force_insert=True)` stores (auto_now_add and defaults applied by the fields'
    pre_save, values adapted by the fields), without the ORM's compiler, for the hot inserts
    (a new task, a progress report, an urging, a flag). No signals are sent (Baro connects
    none to its domain models).

    The returned instance is built by `Model.from_db`, as a loaded row is; the foreign keys
    named in `related` keep the objects `draft` was given (so reading them costs no query).
    """
    if draft.pk is not None:
        raise ValueError("insert_row stores new rows only (the database gives the id)")
    model = type(draft)
    connection = connections[router.db_for_write(model)]
    fields = _insert_fields(model)
    raw = [f.pre_save(draft, True) for f in fields]
    values = [f.get_db_prep_save(value, connection) for f, value in zip(fields, raw, strict=True)]
    sql = insert_sql(model, connection.alias, tuple(f.name for f in fields))
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        pk = cursor.fetchone()[0]
    values_by_name = {f.attname: value for f, value in zip(fields, raw, strict=True)}
    values_by_name[model._meta.pk.attname] = pk
    values_by_name.update((name, getattr(draft, name)) for name in related)
    return loaded(model, connection.alias, **values_by_name)


def loaded(model: type[M], alias: str, **values: Any) -> M:
    """A row a plain statement has just written, as the instance a query would have loaded
    (through Model.from_db): `values` by attribute name (`task_id`, or `urged_by` as an object,
    which is then attached without a query); a field not given takes its default."""
    objects = {name: value for name, value in values.items() if isinstance(value, models.Model)}
    for name, value in objects.items():
        key = _field(model, name)
        assert isinstance(key, models.ForeignKey)
        values[key.attname] = getattr(value, key.target_field.attname)
    fields = model._meta.concrete_fields
    instance = model.from_db(
        alias,
        [f.attname for f in fields],
        [values[f.attname] if f.attname in values else f.get_default() for f in fields],
    )
    for name, value in objects.items():
        setattr(instance, name, value)
    return instance


@functools.cache
def _insert_fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key)


@functools.lru_cache(maxsize=256)
def insert_sql(
    model: type[models.Model], alias: str, fields: tuple[str, ...], rows: int = 1
) -> str:
    """`INSERT INTO <table> (<fields' columns>) VALUES (…)[, (…) × rows] RETURNING <pk>` for
    `model` on database `alias`, written once per shape: the plain insert of insert_row and of
    other hot commands that pass values already adapted (notify)."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 (model identifiers)
        f"VALUES {', '.join([row] * rows)} RETURNING {quote(meta.pk.column)}"
    )


def table(model: type[models.Model], alias: str = "default") -> str:
    """The quoted table name of `model`, for a plain statement that names another area's
    table through its model rather than a literal."""
    return connections[alias].ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], field: str, alias: str = "default") -> str:
    """The quoted column of `model`'s `field` (a foreign key gives its `_id` column)."""
    return connections[alias].ops.quote_name(_column(model, field))


def foreign_key_problem(
    obj: models.Model, field: models.ForeignKey[Any, Any]
) -> ValidationError | None:
    """Model.clean_fields and ForeignKey.validate for one key, the existence query as one
    plain statement; sets the cleaned value on `obj` when there is no problem."""
    raw = getattr(obj, field.attname)
    if (field.blank and raw in field.empty_values) or isinstance(raw, DatabaseDefault):
        return None
    try:
        value = field.to_python(raw)
        models.Field.validate(field, value, obj)  # what ForeignKey.validate's super() checks
        if value is not None:
            target = field.remote_field.model
            alias = router.db_for_read(target, instance=obj)
            connection = connections[alias]
            quote = connection.ops.quote_name
            key = field.target_field
            sql = (
                f"SELECT 1 FROM {quote(target._meta.db_table)} "  # noqa: S608 (model identifiers)
                f"WHERE {quote(key.column)} = %s LIMIT 1"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [key.get_db_prep_value(value, connection)])
                exists = cursor.fetchone() is not None
            if not exists:
                raise ValidationError(
                    field.error_messages["invalid"],
                    code="invalid",
                    params={
                        "model": target._meta.verbose_name,
                        "pk": value,
                        "field": field.remote_field.field_name,
                        "value": value,
                    },
                )
        field.run_validators(value)
    except ValidationError as exc:
        return exc
    setattr(obj, field.attname, value)
    return None


@dataclass(frozen=True)
class _RowPlan:
    sql: str
    own: tuple[models.Field[Any, Any], ...]
    other: tuple[models.Field[Any, Any], ...]
    converters: tuple[tuple[Col, tuple[Callable[..., Any], ...]], ...]


@functools.cache
def _row_plan(
    model: type[models.Model], related: str | None, alias: str, field: str, lock: bool
) -> _RowPlan:
    """The statement of _one_row, written once per model, database, key and lock from the
    metadata."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    own = tuple(model._meta.concrete_fields)
    other: tuple[models.Field[Any, Any], ...] = ()
    join = ""
    columns = [(table, field) for field in own]
    if related is not None:
        key = model._meta.get_field(related)
        if not isinstance(key, models.ForeignKey) or key.null:
            raise ValueError(f"{related} is not a NOT NULL foreign key of {model.__name__}")
        target = key.remote_field.model
        other_table = target._meta.db_table
        other = tuple(target._meta.concrete_fields)
        columns += [(other_table, field) for field in other]
        join = (
            f" INNER JOIN {quote(other_table)} ON {quote(other_table)}."
            f"{quote(key.target_field.column)} = {quote(table)}.{quote(key.column)}"
        )
    select = ", ".join(f"{quote(t)}.{quote(f.column)}" for t, f in columns)
    locking = ""
    if lock and connection.features.has_select_for_update:
        locking = (
            f" FOR UPDATE OF {quote(table)}"
            if connection.features.has_select_for_update_of
            else " FOR UPDATE"
        )
    key_column = _column(model, field)
    sql = (
        f"SELECT {select} FROM {quote(table)}{join} "  # noqa: S608 (model identifiers)
        f"WHERE {quote(table)}.{quote(key_column)} = %s{locking}"
    )
    converters = []
    for t, f in columns:
        col = f.get_col(t)
        converters.append(
            (
                col,
                (
                    *connection.ops.get_db_converters(col),
                    *f.get_db_converters(connection),  # type: ignore[attr-defined]
                ),
            )
        )
    return _RowPlan(sql, own, other, tuple(converters))
