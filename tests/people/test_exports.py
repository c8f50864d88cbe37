"""My connections as vCards and CSV: standard files that read back to what each person shares with me."""

import csv
import io

import vobject


def test_the_vcard_file_reads_back_one_card_per_connection(client, make, room):
    ada, bob = room["ada"], room["bob"]
    client.patch(
        "/api/v1/me",
        headers=bob.headers,
        json={
            "phone": "+1 555 0100",
            "links": [
                {"label": "Blog", "url": "https://bob.example/blog"},
                {"label": "Code", "url": "https://code.example/bob"},
            ],
            "sharing": {"phone": "connections", "links": "everyone"},
        },
    )
    carol = room["phone"]("Carol; Coder, Jr.", company="Semi;colons, Inc.", headline="Line\nbreaker")
    ada.exchange(bob.registration, actions=["introduced"], note="Cranes; at scale,\nreally")
    ada.exchange(carol.registration)
    client.patch("/api/v1/me", headers=carol.headers, json={"sharing": {"email": "nobody"}})
    response = ada.get("/api/v1/me/connections.vcf")
    assert response.status_code == 200 and response.mimetype == "text/vcard"
    assert response.headers["Content-Disposition"] == 'attachment; filename="connections.vcf"'
    cards = {card.fn.value: card for card in vobject.readComponents(response.get_data(as_text=True))}
    assert set(cards) == {"Bob Builder", "Carol; Coder, Jr."}
    bob_card = cards["Bob Builder"]
    assert bob_card.version.value == "3.0"
    assert bob_card.email.value == "bob.builder@example.org" and bob_card.tel.value == "+1 555 0100"
    assert [url.value for url in bob_card.contents["url"]] == ["https://bob.example/blog", "https://code.example/bob"]
    assert bob_card.org.value == ["Cranes"] and bob_card.title.value == "SRE"
    assert (bob_card.n.value.given, bob_card.n.value.family) == ("Bob", "Builder")
    assert bob_card.note.value.endswith("Cranes; at scale,\nreally")
    assert room["event"].title in bob_card.note.value
    assert bob_card.categories.value == ["Introduced ourselves"]  # in the words the app shows
    carol_card = cards["Carol; Coder, Jr."]
    assert carol_card.org.value == ["Semi;colons, Inc."] and carol_card.title.value == "Line\nbreaker"
    assert "email" not in carol_card.contents and "tel" not in carol_card.contents


def test_a_card_files_a_name_with_an_emoji_under_the_family_name(room):
    ada = room["ada"]
    for number, name in enumerate(("Grace Hopper 🚀", "🚀 Grace Hopper", "Zoë", "✨")):
        ada.exchange(room["phone"](name, email=f"emoji.name.{number}@example.org").registration)
    cards = vobject.readComponents(ada.get("/api/v1/me/connections.vcf").get_data(as_text=True))
    names = {card.fn.value: (card.n.value.family, card.n.value.given) for card in cards}
    assert names["Grace Hopper 🚀"] == names["🚀 Grace Hopper"] == ("Hopper", "Grace")
    assert names["Zoë"] == ("", "Zoë") and names["✨"] == ("", "✨")


def test_no_connections_is_an_empty_file(room):
    response = room["ada"].get("/api/v1/me/connections.vcf")
    assert response.status_code == 200 and response.get_data() == b""
    rows = list(csv.reader(io.StringIO(room["ada"].get("/api/v1/me/connections.csv").get_data(as_text=True))))
    assert rows == [
        [
            "name",
            "headline",
            "company",
            "email",
            "phone",
            "links",
            "events",
            "first_met_at",
            "last_met_at",
            "i_scanned",
            "scanned_me",
            "tags",
            "note",
            "followed_up",
        ]
    ]


def test_the_csv_has_a_row_per_connection_and_no_formulas(client, make, room):
    ada = room["ada"]
    mallory = room["phone"]("=HYPERLINK(evil)", email="=hyperlink.evil@example.org", company="@SUM(A1)", headline="+1")
    ada.exchange(mallory.registration, note="-2 for this", actions=["asked_advice"])
    ada.exchange(room["bob"].registration)
    response = ada.get("/api/v1/me/connections.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="connections.csv"'
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    evil = rows["'=HYPERLINK(evil)"]
    assert evil["email"] == "'=hyperlink.evil@example.org"
    assert evil["company"] == "'@SUM(A1)" and evil["headline"] == "'+1"
    assert evil["note"] == "'-2 for this" and evil["tags"] == "Asked for advice"
    assert evil["events"] == room["event"].title and evil["i_scanned"] == "True"
    assert rows["Bob Builder"]["company"] == "Cranes"


def test_my_data_export_holds_my_connections_notes_and_blocks(client, make, room):
    ada, bob = room["ada"], room["bob"]
    carol = room["phone"]("Carol Cranes", directory_opt_in=True)  # blocked from the meetup's directory
    ada.exchange(bob.registration, note="Ask about the SRE book", actions=["asked_advice"])
    bob.exchange(ada.registration, note="Bob's own note, never Ada's to see")
    assert client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": carol.user.id}).status_code == 201

    export = client.get("/api/v1/me/export", headers=ada.headers).json

    [connection] = export["connections"]
    assert connection["other"]["name"] == "Bob Builder"
    assert connection["note"] == "Ask about the SRE book"
    assert connection["tags"] == ["asked_advice"]
    assert "Bob's own note" not in str(export)
    assert [block["name"] for block in export["blocks"]] == ["Carol Cranes"]
    assert client.get("/api/v1/me/export", headers=carol.headers).json["blocks"] == []  # who blocked me: never shown


def test_the_files_give_each_tag_in_the_words_the_app_shows(client, make, room):
    """A standard action in its words, an event's own in its organizer's (spelled out when it has none), a tag in
    my own words as I typed it: as on the connection's card in the web app, never a slug."""
    ada, bob, event = room["ada"], room["bob"], room["event"]
    actions = client.patch(
        f"/api/v1/events/{event.id}/exchange-actions",
        headers=make.token(event.owner),
        json={"custom": ["talked_ai", "paired_up"], "labels": {"talked_ai": "Talked AI"}},
    )
    assert actions.status_code == 200, actions.json
    assert (
        ada.exchange(bob.registration, actions=["asked_advice", "talked_ai", "paired_up"]).json["result"] == "recorded"
    )
    [connection] = ada.connections()
    tags = [*connection["tags"], "Hiring in Q3"]
    path = f"/api/v1/me/connections/{connection['id']}"
    assert client.patch(path, headers=ada.headers, json={"tags": tags}).status_code == 200
    words = ["Asked for advice", "Talked AI", "Paired up", "Hiring in Q3"]

    [row] = csv.DictReader(io.StringIO(ada.get("/api/v1/me/connections.csv").get_data(as_text=True)))
    assert row["tags"] == "; ".join(words)
    [card] = vobject.readComponents(ada.get("/api/v1/me/connections.vcf").get_data(as_text=True))
    assert card.categories.value == words


def test_the_csv_keeps_a_phone_number_readable_and_a_formula_text(client, room):
    ada, bob = room["ada"], room["bob"]
    client.patch(
        "/api/v1/me",
        headers=bob.headers,
        json={"phone": "+44 20 7946 0000", "headline": "+1+HYPERLINK(evil)", "sharing": {"phone": "connections"}},
    )
    ada.exchange(bob.registration)
    [row] = csv.DictReader(io.StringIO(ada.get("/api/v1/me/connections.csv").get_data(as_text=True)))
    assert row["phone"] == "+44 20 7946 0000"
    assert row["headline"] == "'+1+HYPERLINK(evil)"
