"""What meeting people does when another domain changes something or asks (netevents/signals.py)."""

from sqlalchemy import delete

from netevents import signals
from netevents.accounts.models import User
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.people.blocks import blocks_of
from netevents.people.connections import my_connections
from netevents.people.exchanges import LEDGER_ACTOR


def erase_exchanges_of_leaving_person(_sender, *, user_id: int) -> None:
    """Their own scans go from the ledger (and their meetings with them); connections, each side's record and
    blocks go with the account (ON DELETE CASCADE), so nobody's list shows them any more. What others' phones
    were answered when scanning them holds ids only, and a repeat looks the connection up afresh: it is gone."""
    db.session.execute(delete(LedgerEntry).where(LedgerEntry.actor == LEDGER_ACTOR.format(user_id=user_id)))


def export_connections(_sender, *, user_id: int) -> tuple[str, list]:
    """My connections with my notes and tags, and each person as they share with me now."""
    return "connections", my_connections(db.session.get_one(User, user_id))


def export_blocks(_sender, *, user_id: int) -> tuple[str, list]:
    return "blocks", blocks_of(db.session.get_one(User, user_id))


def connect_signals() -> None:
    signals.account_deleting.connect(erase_exchanges_of_leaving_person)
    signals.personal_data_exporting.connect(export_connections)
    signals.personal_data_exporting.connect(export_blocks)
