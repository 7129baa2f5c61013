"""Where a transaction begins: every entry point (a page, an API operation, the CLI, the worker,
the demo) runs each command through run_command."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
T = TypeVar("T")


def run_command(command: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run one command in a transaction of its own that has committed when this returns.

    The transaction is durable: an entry point called inside someone else's transaction is a
    bug that Django refuses, not a commit silently deferred to the outer block. The commands
    themselves use plain atomic, so one command may call another and stay one transaction.
    """
    with transaction.atomic(durable=True):
        return command(*args, **kwargs)
