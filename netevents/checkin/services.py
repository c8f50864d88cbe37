"""Check-in: scans applied once per nonce, through the ledger (netevents.ledger), in scan-time order.

A scan arrives once, twice, or from an offline queue hours later: the ledger gives a repeated nonce the first
answer and writes nothing; the rules (rules.py) decide what a new scan does. A nonce sent again for another badge
or direction is another scan under a used nonce: a single scan gets 409 `nonce_reused`, one in a batch is answered
`nonce_reused` and not applied.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from netevents.accounts.models import User
from netevents.checkin.actors import ScanActor
from netevents.checkin.answers import REFUSALS, ScanAnswer
from netevents.checkin.badge_qr import badge_secret_from_qr, poster_secret_from_qr
from netevents.checkin.budget import UnknownBadgeBudget
from netevents.checkin.models import Direction, ScanReason, ScanResult
from netevents.checkin.posters import PosterScanner, poster_scanner, self_checkin_key
from netevents.checkin.rules import BadgeScan, apply_scan, log_scans
from netevents.checkin.schemas import ScanAnswerSchema
from netevents.db import utcnow
from netevents.events.models import Event
from netevents.ledger.services import clock_ahead, device_time, fingerprint, record_each, record_once
from netevents.signals import announce, checked_in

#: How scan answers are kept in the ledger: exactly as they are sent.
SCAN_ANSWERS = ScanAnswerSchema()


def perform_checkin(actor: ScanActor, scan: dict[str, Any]) -> ScanAnswer:
    """One scan (a badge's QR text, or a registration found by name); 409 `nonce_reused` for a used nonce sent
    for another badge or direction."""
    [answer] = perform_scans(actor, [scan], in_batch=False)
    return answer


def perform_scans(actor: ScanActor, scans: list[dict[str, Any]], *, in_batch: bool = True) -> list[ScanAnswer]:
    """Scans applied in scan-time order, each nonce once; one answer per scan, in the order given."""
    received_at = utcnow()
    badge_scans = [_badge_scan(scan, received_at) for scan in scans]
    order = sorted(range(len(badge_scans)), key=lambda index: badge_scans[index].scanned_at)
    applied: list[tuple[BadgeScan, ScanAnswer]] = []  # the scans new to the ledger, to write to the scan log
    budget = UnknownBadgeBudget(actor.key)

    def apply(scan: BadgeScan, ledger_entry_id: int) -> ScanAnswer:
        answer = apply_scan(actor, scan, ledger_entry_id, budget.spend)
        applied.append((scan, answer))
        return answer

    def reused(position: int) -> ScanAnswer:
        scan = badge_scans[order[position]]
        return ScanAnswer(
            result=ScanResult.rejected,
            reason=ScanReason.nonce_reused,
            message=REFUSALS[ScanReason.nonce_reused],
            nonce=scan.nonce,
            direction=scan.direction,
            scanned_at=scan.scanned_at,
        )

    answers = record_each(
        actor.key,
        [(badge_scans[index].nonce, partial(apply, badge_scans[index])) for index in order],
        SCAN_ANSWERS,
        fingerprints=[_fingerprint(scans[index], badge_scans[index]) for index in order],
        reused=reused if in_batch else None,
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


@dataclass(frozen=True, slots=True)
class SelfCheckIn:
    """A person's check-in at a venue poster: the scan's answer, and the poster's event and name (None for a QR
    code that names no poster)."""

    checkin: ScanAnswer
    event: Event | None
    poster_name: str | None


def perform_self_checkin(user: User, scan: dict[str, Any]) -> SelfCheckIn:
    """`user` scanned a venue poster's QR code with their own phone: checked in as by a door station (same rules,
    scan log and counts, under the poster's name), or refused with the reason. The same nonce again is answered as
    the first time; sent again for another event, 409 `nonce_reused`."""
    secret = poster_secret_from_qr(scan["qr"])
    scanner = poster_scanner(user, secret) if secret is not None else None
    if scanner is None:
        return SelfCheckIn(_unknown_poster(user, scan), None, None)
    [answer] = perform_scans(scanner.actor, [_registration_scan(scanner, scan)], in_batch=False)
    return SelfCheckIn(answer, scanner.event, scanner.actor.label)


def _registration_scan(scanner: PosterScanner, scan: dict[str, Any]) -> dict[str, Any]:
    """The person's own registration, scanned at the poster (none if they have none for its event: refused)."""
    fields = {"nonce": scan["nonce"], "scanned_at": scan.get("scanned_at"), "direction": Direction.entry}
    if scanner.registration_id is None:
        # Names no badge (the rules refuse it `not_registered` before looking); the nonce's fingerprint is the event.
        return {**fields, "qr": f"event:{scanner.event.id}"}
    return {**fields, "registration_id": scanner.registration_id}


def _unknown_poster(user: User, scan: dict[str, Any]) -> ScanAnswer:
    """A QR code that names no poster: in no event's scan log, but answered once per nonce like every scan."""
    received_at = utcnow()
    badge_scan = _badge_scan({**scan, "qr": None}, received_at)

    def refuse(_ledger_entry_id: int) -> ScanAnswer:
        return ScanAnswer(  # no id: there is no scan in a log to undo
            result=ScanResult.rejected,
            reason=ScanReason.unknown_poster,
            message=REFUSALS[ScanReason.unknown_poster],
            nonce=badge_scan.nonce,
            direction=badge_scan.direction,
            scanned_at=badge_scan.scanned_at,
        )

    answer: ScanAnswer = record_once(
        self_checkin_key(user),
        badge_scan.nonce,
        refuse,
        SCAN_ANSWERS,
        fingerprint=fingerprint(f"text:{scan['qr'].strip()}", Direction.entry),
    )
    return answer


def _badge_scan(scan: dict[str, Any], received_at: datetime) -> BadgeScan:
    sent = scan.get("scanned_at")
    return BadgeScan(
        nonce=scan["nonce"],
        scanned_at=device_time(sent, received_at),
        received_at=received_at,
        direction=scan.get("direction") or Direction.entry,
        secret=badge_secret_from_qr(scan["qr"]) if scan.get("qr") is not None else None,
        registration_id=scan.get("registration_id"),
        device_scanned_at=sent if clock_ahead(sent, received_at) else None,
    )


def _fingerprint(sent: dict[str, Any], scan: BadgeScan) -> str:
    """What a scan asks: this badge (its secret, or the QR text that names none, or the registration), this way.
    The same badge resent with its QR as a URL or as the bare secret is the same scan."""
    if scan.registration_id is not None:
        badge = f"registration:{scan.registration_id}"
    elif scan.secret is not None:
        badge = f"secret:{scan.secret}"
    else:
        badge = f"text:{str(sent.get('qr', '')).strip()}"
    return fingerprint(badge, scan.direction)
