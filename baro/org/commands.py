"""Pieces every command module shares (org, work, workdays and later areas).

A command validates into a DomainError whose code is prefixed by its area ("org.invalid",
"work.field_required"), and records its one ledger event with the actor and, when the power
came by delegation, the person on whose behalf it acted.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models.expressions import Col, DatabaseDefault

from baro.core.errors import DomainError
from baro.core.statements import fits_integer_column, statements
from baro.ledger.services import record_event
from baro.org.authority import Decision
from baro.org.models import Person

M = TypeVar("M", bound=models.Model)


def record_action(
    *,
    actor: Person,
    decision: Decision | None,
    action: str,
    object_type: str,
    object_id: int | str,
    payload: dict[str, Any],
) -> None:
    """Append the command's one ledger event (inside the command's transaction)."""
    record_event(
        actor=actor.ledger_ref,
        action=action,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        on_behalf_of=decision.on_behalf_of_ref if decision else "",
    )


def clean_fields(obj: models.Model, *, area: str, exclude: Iterable[str] = ()) -> None:
    """Field validation (lengths, choices, e-mail) as a DomainError naming the first bad field.

    What Model.full_clean(validate_unique=False, validate_constraints=False) checks, with the
    same errors in the same order; only the existence check of each foreign key runs as one
    plain statement (see _fast_foreign_keys): the queryset Django builds for it took ~0.19 ms
    of ORM work per key, most of a command's validation time.
    """
    excluded = set(exclude)
    fast = _fast_foreign_keys(type(obj), frozenset(excluded))
    errors: dict[str, list[ValidationError]] = {}
    try:
        obj.full_clean(
            exclude=[*excluded, *(field.name for field in fast)],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    for field in fast:
        problem = _clean_foreign_key(obj, field)
        if problem is not None:
            errors[field.name] = problem.error_list
    if not errors:
        return
    # Field errors in the model's field order, as full_clean's clean_fields would list them.
    order = {field.name: index for index, field in enumerate(obj._meta.fields)}
    ordered = dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order))))
    exc = ValidationError(ordered)
    field, messages = next(iter(exc.message_dict.items()))
    raise DomainError(
        f"{area}.invalid",
        f"Giá trị không hợp lệ ở trường “{field}”: {' '.join(messages)}",
        field=field,
    ) from exc


@functools.cache
def _fast_foreign_keys(
    model: type[models.Model], excluded: frozenset[str]
) -> tuple[models.ForeignKey[Any, Any], ...]:
    """The foreign keys of `model` whose check is a plain "does this row exist" on the target.

    Only when the model has no clean() of its own (full_clean runs it between the fields and
    the keys would then be cleaned after it), and the key has no limit_choices_to, is no
    parent link, does not override validate(), and points at a model without a custom base
    manager: for anything else full_clean checks it as usual.
    """
    if model.clean is not models.Model.clean:
        return ()
    return tuple(
        field
        for field in model._meta.fields
        if isinstance(field, models.ForeignKey)
        and field.name not in excluded
        and type(field).validate is models.ForeignKey.validate
        and not field.remote_field.parent_link
        and not field.get_limit_choices_to()
        and field.remote_field.model._meta.base_manager_name is None
        and not field.generated
    )


def _clean_foreign_key(
    obj: models.Model, field: models.ForeignKey[Any, Any]
) -> ValidationError | None:
    """Model.clean_fields and ForeignKey.validate for one key, the query as plain SQL."""
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
            column = field.target_field
            sql = (
                f"SELECT 1 FROM {quote(target._meta.db_table)} "  # noqa: S608 (model identifiers)
                f"WHERE {quote(column.column)} = %s LIMIT 1"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [column.get_db_prep_value(value, connection)])
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


def locked_row(model: type[M], pk: int, *, related: str | None = None) -> M:
    """The row `pk` of `model`, locked for the rest of the transaction, with one foreign key
    (`related`) loaded: what `model.objects.select_for_update(of=("self",))
    .select_related(related).get(pk=pk)` returns, as one plain statement.

    A command re-reads its row under lock; as a queryset that cost ~0.4 ms of ORM work, ten
    times the database's. Only the row itself is locked (FOR UPDATE OF on PostgreSQL; SQLite's
    IMMEDIATE transaction already holds the database's write lock). Raises model.DoesNotExist.
    """
    return _one_row(model, "pk", pk, related=related, lock=True)


def row_by(model: type[M], field: str, value: Any, *, related: str | None = None) -> M:
    """The row of `model` whose unique `field` equals `value`, with one foreign key loaded,
    unlocked: what `model.objects.select_related(related).get(**{field: value})` returns, as
    one plain statement, for the hot reads of every API request (the bearer token, the task a
    command names). Raises model.DoesNotExist."""
    return _one_row(model, field, value, related=related, lock=False)


def _one_row(model: type[M], field: str, value: Any, *, related: str | None, lock: bool) -> M:
    if not fits_integer_column(value):
        raise model.DoesNotExist(f"{model.__name__} {field}={value!r} does not exist")
    connection = connections[router.db_for_write(model)]
    plan = _row_plan(model, related, connection.alias, field, lock)
    key = model._meta.pk if field == "pk" else model._meta.get_field(field)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, [key.get_db_prep_value(value, connection)])
        row = cursor.fetchone()
    if row is None:
        raise model.DoesNotExist(f"{model.__name__} {field}={value!r} does not exist")
    values = list(row)
    for index, (col, converters) in enumerate(plan.converters):
        for convert in converters:
            values[index] = convert(values[index], col, connection)
    split = len(plan.own)
    instance = model.from_db(connection.alias, [f.attname for f in plan.own], values[:split])
    if related is not None:
        target = model._meta.get_field(related).remote_field.model
        setattr(
            instance,
            related,
            target.from_db(connection.alias, [f.attname for f in plan.other], values[split:]),
        )
    return instance


def insert_row(instance: M) -> M:
    """INSERT a new `instance` as one plain statement: what `instance.save(force_insert=True)`
    stores (auto_now_add and defaults applied by the fields' pre_save, values adapted by the
    fields), without the ORM's compiler, for the hot insert of every new task. No signals are
    sent (Baro connects none to its domain models). Returns the instance with its new pk."""
    if instance.pk is not None:
        raise ValueError("insert_row stores new rows only (the database gives the id)")
    model = type(instance)
    connection = connections[router.db_for_write(model)]
    fields = _insert_fields(model)
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    sql = insert_sql(model, connection.alias, tuple(f.name for f in fields))
    with statements(connection) as run:
        instance.pk = run.execute(sql, values).fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias
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
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 (model identifiers)
        f"VALUES {', '.join([row] * rows)} RETURNING {quote(meta.pk.column)}"
    )


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
    column = model._meta.pk.column if field == "pk" else model._meta.get_field(field).column
    sql = (
        f"SELECT {select} FROM {quote(table)}{join} "  # noqa: S608 (model identifiers)
        f"WHERE {quote(table)}.{quote(column)} = %s{locking}"
    )
    converters = []
    for t, f in columns:
        col = f.get_col(t)
        converters.append(
            (col, (*connection.ops.get_db_converters(col), *f.get_db_converters(connection)))
        )
    return _RowPlan(sql, own, other, tuple(converters))


def required_text(value: str | None, field: str, label: str, *, area: str) -> str:
    """The stripped text, or a DomainError "Chưa nhập …" on the field."""
    value = (value or "").strip()
    if not value:
        raise DomainError(f"{area}.field_required", f"Chưa nhập {label}.", field=field)
    return value
