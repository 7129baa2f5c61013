"""The API's one pagination contract: `?limit=&offset=` in, `{count, limit, offset, items}` out.

Every list operation of /api/v1/ pages this way. `limit` defaults to BARO_PAGE_SIZE and is
capped at MAX_LIMIT; an offset past the end (even one no database takes, 2**63) reads as the
end. The task and oversight lists answered `?page=&page_size=` before: those two parameters
are still read, as a deprecated spelling of the same window, when no limit/offset is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema

MAX_LIMIT = 500

Row = TypeVar("Row")
Item = TypeVar("Item")


class PageQuery(Schema):
    """The window of a list: how many rows (`limit`) from which position (`offset`)."""

    limit: int | None = Field(
        None, description=f"Số dòng mỗi trang (mặc định theo cấu hình, tối đa {MAX_LIMIT})."
    )
    offset: int = Field(0, description="Bỏ qua bao nhiêu dòng đầu.")
    # The old spelling, still read; marked deprecated in the OpenAPI document only (pydantic's
    # own deprecation would warn at every read).
    page: int | None = Field(
        None,
        description="Không dùng nữa (dùng offset): số trang, từ 1.",
        json_schema_extra={"deprecated": True},
    )
    page_size: int | None = Field(
        None,
        description="Không dùng nữa (dùng limit): số dòng mỗi trang.",
        json_schema_extra={"deprecated": True},
    )

    def window(self) -> tuple[int, int]:
        """(limit, offset) within bounds, from limit/offset or the deprecated page/page_size."""
        size = self.limit if self.limit is not None else self.page_size
        limit = max(1, min(size or settings.BARO_PAGE_SIZE, MAX_LIMIT))
        offset = self.offset
        if not offset and self.page is not None:
            offset = (max(1, self.page) - 1) * limit
        return limit, max(0, offset)


class Page(Schema, Generic[Item]):
    """One window of a list and the size of the whole list."""

    count: int
    limit: int
    offset: int
    items: list[Item]


def page(
    rows: QuerySet[Any] | Sequence[Any],
    query: PageQuery,
    serialise: Callable[[Any], Any] | None = None,
    *,
    count: int | None = None,
) -> dict[str, Any]:
    """The window `query` asks for of `rows` (a queryset is counted and sliced in the
    database), each row through `serialise` when given."""
    limit, offset = query.window()
    total = count if count is not None else _count(rows)
    offset = min(offset, total)
    window = list(rows[offset : offset + limit])
    return {
        "count": total,
        "limit": limit,
        "offset": offset,
        "items": [serialise(row) for row in window] if serialise else window,
    }


def _count(rows: QuerySet[Any] | Sequence[Any]) -> int:
    return rows.count() if isinstance(rows, QuerySet) else len(rows)
