"""What check-in does when another domain changes something (netevents/signals.py)."""

from dataclasses import replace

from sqlalchemy import select

from netevents import signals
from netevents.checkin.models import Scan
from netevents.checkin.services import SCAN_ANSWERS
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.ledger.services import correct_answer
from netevents.registrations.models import Registration

#: What a door hears, from then on, when it sends again a scan of someone who has deleted their account.
ERASED = "This person has deleted their account."


def erase_scans_of_leaving_person(_sender, *, user_id: int) -> None:
    """The scan log keeps its scans (anonymous counts) but not the person: the answers the ledger stored for
    their badge (name, headline, company) are erased, so a door sending an old nonce again hears nothing of them."""
    entries = db.session.scalars(
        select(LedgerEntry)
        .join(Scan, Scan.id == LedgerEntry.id)
        .join(Registration, Registration.id == Scan.registration_id)
        .where(Registration.user_id == user_id)
    )
    for entry in entries:
        answer = SCAN_ANSWERS.load(entry.answer or {})
        correct_answer(entry.id, replace(answer, attendee=None, registration_id=None, message=ERASED), SCAN_ANSWERS)


def connect_signals() -> None:
    signals.account_deleting.connect(erase_scans_of_leaving_person)
