"""The bell of the top navigation: how many notifications the signed-in person has not read.

Lazy: the COUNT runs only when a page actually shows the bell (a fragment rendered for htmx
does not), and at most once per request.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from baro.notify.queries import BELL_CAP, unread_count
from baro.org.models import Person


class Bell:
    def __init__(self, person: Person) -> None:
        self.person = person

    @cached_property
    def count(self) -> int:
        return unread_count(self.person, cap=BELL_CAP)

    @property
    def label(self) -> str:
        """The number on the bell: "99+" beyond 99."""
        return "99+" if self.count >= BELL_CAP else str(self.count)


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    person = getattr(user, "person", None) if user is not None and user.is_authenticated else None
    if person is None:
        return {"notify_bell": None}
    cached = getattr(request, "_notify_bell", None)
    if cached is None:
        cached = request._notify_bell = Bell(person)  # type: ignore[attr-defined]
    return {"notify_bell": cached}
