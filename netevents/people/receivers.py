"""What meeting people does when another domain asks (netevents/signals.py)."""

from netevents import signals
from netevents.accounts.models import User
from netevents.extensions import db
from netevents.people.blocks import blocks_of
from netevents.people.connections import my_connections


def export_connections(_sender, *, user_id: int) -> tuple[str, list]:
    """My connections with my notes and tags, and each person as they share with me now."""
    return "connections", my_connections(db.session.get_one(User, user_id))


def export_blocks(_sender, *, user_id: int) -> tuple[str, list]:
    return "blocks", blocks_of(db.session.get_one(User, user_id))


def connect_signals() -> None:
    signals.personal_data_exporting.connect(export_connections)
    signals.personal_data_exporting.connect(export_blocks)
