"""Commands and where their transaction begins.

A service function that changes domain state is a `@command`: it runs in `transaction.atomic`,
so one command may call another, and a caller that goes on after a refusal (a test, a loop over
rows) keeps its transaction. Every entry point (a page, an API operation, the CLI, the worker)
runs a command through `run_command`, which begins the transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
T = TypeVar("T")


def command(body: Callable[P, T]) -> Callable[P, T]:
    """Make `body` a command: it runs in `transaction.atomic` (a savepoint when called inside
    another transaction). run_command runs `body` itself in its durable block instead."""

    @wraps(body)
    def in_transaction(*args: P.args, **kwargs: P.kwargs) -> T:
        with transaction.atomic():
            return body(*args, **kwargs)

    in_transaction.command_body = body  # type: ignore[attr-defined]
    return in_transaction


def run_command(service: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run one command in a transaction of its own that has committed when this returns.

    The transaction is durable: an entry point called inside someone else's transaction is a
    bug that Django refuses, not a commit silently deferred to the outer block.

    A `@command`'s own atomic would only be a savepoint inside this block: two statements more
    for every command (SAVEPOINT, RELEASE; two round trips on PostgreSQL) and nothing gained,
    since the block rolls back whole on any error. So its body runs directly in the block.
    """
    body: Callable[P, T] = getattr(service, "command_body", service)
    with transaction.atomic(durable=True):
        return body(*args, **kwargs)
