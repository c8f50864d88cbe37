"""Page through a select() with a capped page size; the envelope matches schemas.page_schema."""

from collections.abc import Sequence
from math import ceil

from sqlalchemy import Select, func, select

from netevents.extensions import db


def paginate(query: Select, page: int, per_page: int) -> dict:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "page": page, "per_page": per_page, "total": total, "pages": ceil(total / per_page)}


def page_of(items: Sequence, page: int, per_page: int) -> dict:
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
