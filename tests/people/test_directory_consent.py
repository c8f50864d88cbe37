"""The consent matrix of the directory and suggestions: each sharing choice x each viewer (self, connection, other
attendee, organizer, anonymous, blocked either way), with and without the directory opt-in. Yara shares all five
contact details under one choice; what does each viewer find of her?"""

import pytest

from tests.people.conftest import Phone

DETAILS = {"email", "phone", "links", "company", "headline"}

#: viewer -> choice -> the details the viewer sees of Yara in the directory (None: she is not listed to them).
DIRECTORY = {
    "self": {"everyone": DETAILS, "connections": DETAILS, "nobody": DETAILS},
    "connection": {"everyone": DETAILS, "connections": DETAILS, "nobody": set()},
    "other_attendee": {"everyone": DETAILS, "connections": set(), "nobody": set()},
    "organizer": {"everyone": DETAILS, "connections": set(), "nobody": set()},  # as anyone at the event
    "blocked_by_her": {"everyone": None, "connections": None, "nobody": None},
    "blocked_her": {"everyone": None, "connections": None, "nobody": None},
}
#: Suggested: the same cards, but never yourself nor someone you met.
SUGGESTIONS = {
    **DIRECTORY,
    "self": dict.fromkeys(DIRECTORY["self"]),
    "connection": dict.fromkeys(DIRECTORY["connection"]),
}
VIEWERS = [*DIRECTORY, "anonymous"]


def yara_at(client, make, event, choice: str, opted_in: bool) -> Phone:
    yara = Phone(
        client,
        make,
        make.registration(
            event,
            name="Yara Young",
            email="yara@example.org",
            headline="Principal engineer",
            company="Yoyodyne",
            topics=["Kubernetes"],
            mentoring_offered=["Tech leadership"],
            directory_opt_in=opted_in,
        ),
    )
    profile = {
        "phone": "+49 30 555 0101",
        "links": [{"label": "Site", "url": "https://yara.example"}],
        "sharing": dict.fromkeys(DETAILS, choice),
    }
    assert client.patch("/api/v1/me", headers=yara.headers, json=profile).status_code == 200
    return yara


def viewer_headers(kind: str, client, make, event, yara: Phone) -> dict:
    """The headers of a viewer related to Yara as `kind` says; each looks for a mentor in what she offers."""
    if kind == "anonymous":
        return {}
    if kind == "self":
        return yara.headers
    if kind == "organizer":  # not registered: organizers see their event's directory
        headers = make.token(event.owner)
    else:
        victor = Phone(client, make, make.registration(event, name="Victor Viewer", email="victor@example.org"))
        headers = victor.headers
        if kind == "connection":
            assert victor.exchange(yara.registration).json["result"] == "recorded"
        if kind == "blocked_by_her":
            assert (
                client.post("/api/v1/me/blocks", headers=yara.headers, json={"user_id": victor.user.id}).status_code
                == 201
            )
        if kind == "blocked_her":
            assert client.post("/api/v1/me/blocks", headers=headers, json={"user_id": yara.user.id}).status_code == 201
    wants = {"topics": ["kubernetes"], "mentoring_sought": ["tech leadership"]}
    assert client.patch("/api/v1/me", headers=headers, json=wants).status_code == 200
    return headers


def seen(card: dict) -> set[str]:
    return {detail for detail in DETAILS if card[detail] not in (None, [], "")}


def yaras_card(items: list[dict]) -> dict | None:
    cards = [item["person"] for item in items if item["person"]["name"] == "Yara Young"]
    assert len(cards) <= 1
    return cards[0] if cards else None


@pytest.mark.parametrize("opted_in", [True, False], ids=["opted_in", "opted_out"])
@pytest.mark.parametrize("choice", ["everyone", "connections", "nobody"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_what_each_viewer_finds_of_yara(client, make, event_now, viewer, choice, opted_in):
    yara = yara_at(client, make, event_now, choice, opted_in)
    headers = viewer_headers(viewer, client, make, event_now, yara)
    surfaces = {
        "directory": (f"/api/v1/events/{event_now.id}/directory", {}, DIRECTORY),
        "search": (f"/api/v1/events/{event_now.id}/directory", {"q": "yara kub"}, DIRECTORY),
        "topic filter": (f"/api/v1/events/{event_now.id}/directory", {"topic": "KUBERNETES"}, DIRECTORY),
        "mentor filter": (
            f"/api/v1/events/{event_now.id}/directory",
            {"mentors_in": "tech leadership"},
            DIRECTORY,
        ),
        "suggestions": (f"/api/v1/events/{event_now.id}/suggestions", {}, SUGGESTIONS),
    }
    for surface, (path, query, expected) in surfaces.items():
        response = client.get(path, headers=headers, query_string=query)
        if viewer == "anonymous":
            assert response.status_code == 401, surface
            continue
        assert response.status_code == 200, (surface, response.json)
        card = yaras_card(response.json["items"])
        want = expected[viewer][choice] if opted_in else None
        if want is None:
            assert card is None, surface
            continue
        assert card is not None, surface
        assert seen(card) == want, surface
        assert card["topics"] == ["Kubernetes"] and card["mentoring_offered"] == ["Tech leadership"], surface
        if surface == "suggestions":
            reason = response.json["items"][0]["reason"]
            assert (
                reason == "You both care about kubernetes; Yara mentors in tech leadership, which you are looking for"
            )
