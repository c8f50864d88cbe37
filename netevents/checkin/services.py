"""Check-in: scans applied once per nonce, through the ledger (netevents.ledger), in scan-time order.

A scan arrives once, twice, or from an offline queue hours later: the ledger gives a repeated nonce the first
answer and writes nothing; the rules (rules.py) decide what a new scan does.
"""

from datetime import datetime
from functools import partial
from typing import Any

from netevents.checkin.actors import ScanActor
from netevents.checkin.answers import ScanAnswer
from netevents.checkin.badge_qr import badge_secret_from_qr
from netevents.checkin.models import Direction, ScanResult
from netevents.checkin.rules import BadgeScan, apply_scan, log_scans
from netevents.checkin.schemas import ScanAnswerSchema
from netevents.db import utcnow
from netevents.ledger.services import device_time, record_each
from netevents.signals import announce, checked_in

#: How scan answers are kept in the ledger: exactly as they are sent.
SCAN_ANSWERS = ScanAnswerSchema()


def perform_checkin(actor: ScanActor, scan: dict[str, Any]) -> ScanAnswer:
    """One scan (a badge's QR text, or a registration found by name)."""
    [answer] = perform_scans(actor, [scan])
    return answer


def perform_scans(actor: ScanActor, scans: list[dict[str, Any]]) -> list[ScanAnswer]:
    """Scans applied in scan-time order, each nonce once; one answer per scan, in the order given."""
    received_at = utcnow()
    badge_scans = [_badge_scan(scan, received_at) for scan in scans]
    order = sorted(range(len(badge_scans)), key=lambda index: badge_scans[index].scanned_at)
    applied: list[tuple[BadgeScan, ScanAnswer]] = []  # the scans new to the ledger, to write to the scan log

    def apply(scan: BadgeScan, ledger_entry_id: int) -> ScanAnswer:
        answer = apply_scan(actor, scan, ledger_entry_id)
        applied.append((scan, answer))
        return answer

    answers = record_each(
        actor.key, [(badge_scans[index].nonce, partial(apply, badge_scans[index])) for index in order], SCAN_ANSWERS
    )
    log_scans(actor, applied)
    for scan, answer in applied:
        if answer.result == ScanResult.accepted and answer.direction == Direction.entry:
            announce(
                checked_in,
                __name__,
                event_id=actor.event.id,
                registration_id=answer.registration_id,
                scan_id=answer.id,
                station_id=actor.station_id,
                scanned_at=scan.scanned_at,
            )
    in_given_order = dict(zip(order, answers, strict=True))
    return [in_given_order[index] for index in range(len(scans))]


def _badge_scan(scan: dict[str, Any], received_at: datetime) -> BadgeScan:
    return BadgeScan(
        nonce=scan["nonce"],
        scanned_at=device_time(scan.get("scanned_at"), received_at),
        received_at=received_at,
        direction=scan.get("direction") or Direction.entry,
        secret=badge_secret_from_qr(scan["qr"]) if scan.get("qr") is not None else None,
        registration_id=scan.get("registration_id"),
    )
