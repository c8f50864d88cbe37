"""A revoked station is refused; its first scans after the revocation are logged for the organizers to see,
the rest are refused before anything is written, so a revoked phone cannot fill the scan log."""

from sqlalchemy import func, select

from netevents.checkin.models import Scan
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from tests.checkin.conftest import badge, nonce


def written() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Scan)),
        db.session.scalar(select(func.count()).select_from(LedgerEntry)),
    )


def test_a_revoked_station_is_logged_once_then_refused_before_writing(client, door, make):
    ada = make.registration(door.event)
    owner = make.token(door.event.owner)
    assert client.delete(f"/api/v1/stations/{door.station.id}", headers=owner).status_code == 204
    first = door.batch([{"qr": badge(ada), "nonce": nonce()}, {"qr": "poster", "nonce": nonce()}])
    assert first.status_code == 200
    assert [r["reason"] for r in first.json["results"]] == ["station_revoked", "station_revoked"]
    assert written() == (2, 2)
    for _ in range(3):
        refused = door.scan(badge(ada))
        assert refused.status_code == 403 and refused.json["reason"] == "station_revoked"
        assert "new pairing code" in refused.json["detail"]
    batch = door.batch([{"qr": badge(ada), "nonce": nonce()} for _ in range(50)])
    assert batch.status_code == 403 and batch.json["reason"] == "station_revoked"
    assert written() == (2, 2)
    log = client.get(
        f"/api/v1/events/{door.event.id}/checkins", query_string={"reason": "station_revoked"}, headers=owner
    ).json
    assert log["total"] == 2 and {entry["station_name"] for entry in log["items"]} == {"Door A"}
    db.session.refresh(ada)
    assert ada.checked_in_at is None
