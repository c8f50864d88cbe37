"""Sharing chosen per contact detail on one's profile; the older single choice still works; the badge card follows."""

import pytest


def test_each_detail_has_its_own_choice_and_a_phone_can_be_added(client, make):
    ada = make.user(name="Ada")
    headers = make.token(ada)
    me = client.get("/api/v1/me", headers=headers).json
    assert me["sharing"] == {
        "email": "connections",
        "phone": "connections",
        "links": "connections",
        "company": "everyone",
        "headline": "everyone",
    }
    assert me["phone"] == "" and me["contact_sharing"] == "connections"
    changed = client.patch(
        "/api/v1/me",
        headers=headers,
        json={"phone": " +49 30 1234567 ", "sharing": {"phone": "nobody", "email": "everyone"}},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["phone"] == "+49 30 1234567"
    assert changed.json["sharing"] == {
        "email": "everyone",
        "phone": "nobody",
        "links": "connections",
        "company": "everyone",
        "headline": "everyone",
    }
    assert changed.json["contact_sharing"] == "public"  # the older field reads the email's choice


def test_the_older_single_choice_sets_email_and_links(client, make):
    headers = make.token(make.user())
    me = client.patch("/api/v1/me", headers=headers, json={"contact_sharing": "nobody"}).json
    assert me["sharing"]["email"] == me["sharing"]["links"] == "nobody"
    assert me["sharing"]["phone"] == "connections" and me["sharing"]["company"] == "everyone"


def test_the_single_choice_and_the_detailed_one_are_not_sent_together(client, make):
    """Both choose who sees the email and links: sent together, one would silently undo the other."""
    headers = make.token(make.user())
    before = client.get("/api/v1/me", headers=headers).json
    body = {"headline": "Staff engineer", "contact_sharing": "public", "sharing": {"email": "nobody"}}
    response = client.patch("/api/v1/me", headers=headers, json=body)
    assert response.status_code == 422, response.json
    assert response.json["errors"].keys() == {"contact_sharing", "sharing"}
    assert "not both" in response.json["errors"]["sharing"][0]
    assert client.get("/api/v1/me", headers=headers).json == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sharing": {"email": "public"}}, "sharing.email"),
        ({"sharing": {"fax": "nobody"}}, "sharing.fax"),
        ({"sharing": "everyone"}, "sharing"),
        ({"phone": "call me maybe"}, "phone"),
        ({"phone": "+1" + "2" * 40}, "phone"),
    ],
)
def test_bad_choices_are_refused_naming_the_field(client, make, body, field):
    headers = make.token(make.user())
    response = client.patch("/api/v1/me", headers=headers, json=body)
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert client.get("/api/v1/me", headers=headers).json["sharing"]["email"] == "connections"


def test_the_registration_form_keeps_the_single_choice(client, make):
    event = make.event()
    response = client.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"email": "ada@example.org", "name": "Ada", "sharing": {"email": "everyone"}},
    )
    assert response.status_code == 422 and "sharing" in response.json["errors"]


def test_the_badge_card_shows_only_the_printed_details_shared_with_everyone(client, make):
    event = make.event()
    ada = make.registration(event, name="Ada", email="ada@example.org", headline="Staff engineer", company="Acme")
    headers = make.token(ada.user)
    card = client.get(f"/api/v1/badges/{ada.badge_secret}").json
    assert (card["headline"], card["company"]) == ("Staff engineer", "Acme")
    client.patch(
        "/api/v1/me",
        headers=headers,
        json={
            "phone": "+49 30 1234567",
            "sharing": {"phone": "everyone", "company": "nobody", "headline": "connections"},
        },
    )
    card = client.get(f"/api/v1/badges/{ada.badge_secret}").json
    assert (card["headline"], card["company"]) == (None, None)
    # A phone shared with everyone at her events is not printed on her badge: its holder may be anyone.
    assert "1234567" not in str(card) and "Acme" not in str(card) and "ada@example.org" not in str(card)
