"""Page through a select() with a capped page size; the envelope matches schemas.page_schema."""

from collections.abc import Sequence
from math import ceil

from sqlalchemy import Select, func, select

from netevents.extensions import db


def paginate(query: Select, page: int, per_page: int) -> dict:
    return page_of(query, count(query), page, per_page)


def count(query: Select, *, up_to: int | None = None) -> int:
    """How many rows the query has; with `up_to`, counted only up to that many (a broad search of a large event is
    not counted one by one)."""
    counted = query.order_by(None)
    if up_to is not None:
        counted = counted.limit(up_to)
    return db.session.scalar(select(func.count()).select_from(counted.subquery())) or 0


def page_of(query: Select, total: int, page: int, per_page: int) -> dict:
    """A page of the query's rows, `total` of them in all (counted before)."""
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all() if total else []
    return {"items": items, "page": page, "per_page": per_page, "total": total, "pages": ceil(total / per_page)}


def page_of_list(items: Sequence, page: int, per_page: int) -> dict:
    """A page of a list already in order in memory (a ranking computed in Python), in the same envelope."""
    start = (page - 1) * per_page
    total = len(items)
    return {
        "items": list(items[start : start + per_page]),
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": ceil(total / per_page),
    }
