"""The consent matrix: each sharing choice x each viewer, on every people surface (connections, vCard, CSV, the
exchange answer, the badge card). Yara shares all five contact details under one choice; who sees which?"""

import csv
import io

import pytest
import vobject

from tests.people.conftest import Phone

DETAILS = {"email", "phone", "links", "company", "headline"}

#: viewer -> choice -> the details the viewer sees (None: Yara is not shown to them at all).
EXPECTED = {
    "connection": {"everyone": DETAILS, "connections": DETAILS, "nobody": set()},
    "co_attendee": {"everyone": DETAILS, "connections": set(), "nobody": set()},
    # What registration collected they read in their attendee list, from the registration (tests/registrations).
    "organizer": {"everyone": DETAILS, "connections": set(), "nobody": set()},
    "blocked": {"everyone": None, "connections": None, "nobody": None},
}

_VCARD_FIELDS = {"email": "email", "tel": "phone", "url": "links", "org": "company", "title": "headline"}


@pytest.fixture
def yara(client, make, event_now):
    """Yara, confirmed for the meetup, shares every contact detail with one choice (set by each test)."""
    phone = Phone(
        client,
        make,
        make.registration(
            event_now, name="Yara Young", email="yara@example.org", headline="Principal engineer", company="Yoyodyne"
        ),
    )
    client.patch(
        "/api/v1/me",
        headers=phone.headers,
        json={"phone": "+49 30 555 0101", "links": [{"label": "Site", "url": "https://yara.example"}]},
    )
    return phone


def share(yara, choice):
    response = yara.client.patch("/api/v1/me", headers=yara.headers, json={"sharing": dict.fromkeys(DETAILS, choice)})
    assert response.status_code == 200


def viewer_of(kind, client, make, event, yara) -> Phone:
    """A viewer related to Yara as `kind` says, who has Yara in their list (except when blocked)."""
    if kind == "organizer":
        registration = make.registration(event, name="Olivia Organizer", email=event.owner.email)
    else:
        registration = make.registration(event, name="Victor Viewer", email="victor@example.org")
    viewer = Phone(client, make, registration)
    # An organizer holds every badge of their event and scans none of them: Yara scans theirs.
    met = yara.exchange(viewer.registration) if kind == "organizer" else viewer.exchange(yara.registration)
    connection_id = met.json["connection_id"]
    if kind in ("co_attendee", "organizer"):  # Yara removed the connection: they remain at the same event
        assert client.delete(f"/api/v1/me/connections/{connection_id}", headers=yara.headers).status_code == 204
    if kind == "blocked":
        blocked = client.post("/api/v1/me/blocks", headers=yara.headers, json={"user_id": viewer.user.id})
        assert blocked.status_code == 201
    return viewer


def seen_in_json(card: dict) -> set[str]:
    return {detail for detail in DETAILS if card[detail] not in (None, [], "")}


def seen_in_list(viewer) -> set[str] | None:
    cards = [c["other"] for c in viewer.connections() if c["other"]["name"] == "Yara Young"]
    return seen_in_json(cards[0]) if cards else None


def seen_in_vcard(viewer) -> set[str] | None:
    response = viewer.get("/api/v1/me/connections.vcf")
    assert response.status_code == 200 and response.mimetype == "text/vcard"
    cards = [c for c in vobject.readComponents(response.get_data(as_text=True)) if c.fn.value == "Yara Young"]
    if not cards:
        return None
    return {detail for field, detail in _VCARD_FIELDS.items() if field in cards[0].contents}


def seen_in_csv(viewer) -> set[str] | None:
    response = viewer.get("/api/v1/me/connections.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = [row for row in csv.DictReader(io.StringIO(response.get_data(as_text=True))) if row["name"] == "Yara Young"]
    return {detail for detail in DETAILS if rows[0][detail]} if rows else None


def seen_in_exchange_answer(viewer, yara) -> set[str] | None:
    answer = viewer.exchange(yara.registration).json
    if answer["result"] == "rejected":
        assert answer["reason"] == "blocked" and answer["connection"] is None
        return None
    return seen_in_json(answer["connection"]["other"])


@pytest.mark.parametrize("choice", ["everyone", "connections", "nobody"])
@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_viewer_sees_what_the_choice_allows_on_every_surface(client, make, event_now, yara, kind, choice):
    viewer = viewer_of(kind, client, make, event_now, yara)
    share(yara, choice)  # chosen after they met: what a viewer sees follows the choice as it is now
    expected = EXPECTED[kind][choice]
    assert seen_in_list(viewer) == expected
    assert seen_in_vcard(viewer) == expected
    assert seen_in_csv(viewer) == expected
    if kind == "organizer":
        assert viewer.exchange(yara.registration).json["reason"] == "organizer_of_event"
    else:
        assert seen_in_exchange_answer(viewer, yara) == expected
    body = viewer.get("/api/v1/me/connections").get_data(as_text=True) + viewer.get(
        "/api/v1/me/connections.csv"
    ).get_data(as_text=True)
    if "email" not in (expected or set()):
        assert "yara@example.org" not in body


@pytest.mark.parametrize("choice", ["everyone", "connections", "nobody"])
def test_anonymous_callers_get_no_people_surface_and_the_badge_card_shows_only_what_is_printed(client, yara, choice):
    share(yara, choice)
    for path in ("/api/v1/me/connections", "/api/v1/me/connections.vcf", "/api/v1/me/connections.csv"):
        assert client.get(path).status_code == 401
    exchange = client.post("/api/v1/exchanges", json={"qr": yara.registration.badge_secret, "nonce": "n"})
    assert exchange.status_code == 401
    card = client.get(f"/api/v1/badges/{yara.registration.badge_secret}").json
    assert {detail for detail in DETAILS if card.get(detail)} == (
        {"headline", "company"} if choice == "everyone" else set()
    )
    assert "yara@example.org" not in str(card) and "555" not in str(card)  # anyone may hold a badge's QR code


@pytest.mark.parametrize("choice", ["everyone", "connections", "nobody"])
def test_people_always_see_all_of_themselves_and_never_connect_with_themselves(client, yara, choice):
    share(yara, choice)
    me = client.get("/api/v1/me", headers=yara.headers).json
    assert (me["email"], me["phone"], me["links"][0]["url"], me["company"], me["headline"]) == (
        "yara@example.org",
        "+49 30 555 0101",
        "https://yara.example",
        "Yoyodyne",
        "Principal engineer",
    )
    assert yara.exchange(yara.registration).json["reason"] == "own_badge"
    assert yara.connections() == []


def test_a_stranger_in_another_event_learns_nothing_from_yaras_badge_by_scanning(client, make, yara):
    share(yara, "everyone")
    elsewhere = make.event()
    stranger = Phone(client, make, make.registration(elsewhere, name="Sam Stranger"))
    answer = stranger.exchange(yara.registration).json
    assert answer["reason"] == "not_registered" and answer["connection"] is None
    assert "Yara" not in str(answer) and "yara@example.org" not in str(answer)
