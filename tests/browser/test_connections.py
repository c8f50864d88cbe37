"""Journeys 5 and 7 in a real browser, "My connections": two attendees scan each other (through the API: the scanner
has its own test), tag what happened, and each sees the other in their list; notes, tags and follow-up; the list's
filters in the address; the vCard and CSV downloads (read back here); my summary of the event; remove, block and
unblock. Every state is shot at 390x844 and at 1280x800."""

import csv
import io
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import vobject
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


def signed_in(page, person: dict) -> None:
    """Put the person's session where the app keeps it (what signing in does)."""
    page.goto("/")
    session = {"token": person["token"], "user": {"id": 0, "name": person["name"], "email": person["email"]}}
    page.evaluate("session => localStorage.setItem('netevents.session', JSON.stringify(session))", session)


def scan(live_app, scanner: dict, scanned: dict, **fields) -> dict:
    """`scanner` scans `scanned`'s badge, as the /scan screen does."""
    body = {"qr": live_app.badge_url(scanned), "nonce": secrets.token_hex(8), **fields}
    answer = live_app.api("POST", "/exchanges", scanner["token"], json=body, expect=200)
    assert answer["result"] == "recorded", answer
    return answer


def download(page, button_name: str, tmp_path: Path) -> tuple[str, str]:
    with page.expect_download() as started:
        page.get_by_role("button", name=button_name).click()
    file = started.value
    target = tmp_path / file.suggested_filename
    file.save_as(target)
    return file.suggested_filename, target.read_text(encoding="utf-8")


@pytest.mark.parametrize("device", VIEWPORTS)
def test_two_attendees_meet_and_keep_in_touch(live_app, launch, shot, tmp_path, device):
    viewport = VIEWPORTS[device]
    organizer = live_app.organizer()
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    event = live_app.event(
        organizer["token"],
        title=f"Platform Night {device}",
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=3)).isoformat(),
    )
    live_app.api(
        "PATCH",
        f"/events/{event['id']}/exchange-actions",
        organizer["token"],
        json={"custom": ["demoed_app"], "labels": {"demoed_app": "Demoed our app"}},
        expect=200,
    )
    ada = live_app.register(event["id"], "Ada Lovelace", headline="Staff engineer", company="Analytical Engines")
    bob = live_app.register(event["id"], "Bob Builder", headline="Site reliability engineer", company="Cranes & Co")
    carol = live_app.register(event["id"], "Carol Shaw", headline="Game designer", company="Activision")
    live_app.api(
        "PATCH",
        "/me",
        bob["token"],
        json={
            "phone": "+44 20 7946 0000",
            "links": [{"label": "Blog", "url": "https://bob.example/blog"}],
            "sharing": {"email": "connections", "phone": "connections", "links": "everyone"},
        },
        expect=200,
    )
    live_app.api("PATCH", "/me", carol["token"], json={"sharing": {"email": "nobody"}}, expect=200)
    for person in (ada, bob, carol):
        person["email"] = live_app.api("GET", "/me", person["token"], expect=200)["email"]

    page = launch(viewport=viewport)
    signed_in(page, ada)

    # Before meeting anyone: what to do, and where.
    page.goto("/me/connections")
    expect(page.get_by_role("heading", name="Nobody here yet")).to_be_visible()
    expect(page.get_by_role("link", name="Scan a badge")).to_have_attribute("href", "/scan")
    shot(page, f"connections-{device}-01-empty")

    # They meet: Ada and Bob scan each other, each tagging what happened; Carol scans Ada.
    scan(live_app, ada, bob, actions=["introduced", "asked_advice"], note="Ask about the SRE book")
    scan(live_app, bob, ada, actions=["offered_help"])
    scan(live_app, carol, ada)

    # While the list loads: placeholder cards.
    held = []
    page.route(re.compile(r"/api/v1/me/connections\?"), lambda route: held.append(route))
    page.goto("/me/connections")
    expect(page.get_by_role("status").filter(has_text="Loading your connections")).to_be_attached()
    shot(page, f"connections-{device}-02-loading")
    for route in held:
        route.continue_()
    page.unroute(re.compile(r"/api/v1/me/connections\?"))

    cards = page.get_by_test_id("connection")
    expect(cards).to_have_count(2)
    bob_card = cards.filter(has_text="Bob Builder")
    expect(bob_card).to_contain_text("You scanned each other")
    expect(bob_card).to_contain_text("Introduced ourselves")
    expect(bob_card).to_contain_text("Asked for advice")
    expect(bob_card).to_contain_text("Ask about the SRE book")
    expect(bob_card).to_contain_text(f"Met at Platform Night {device}")
    expect(bob_card.get_by_role("link", name=bob["email"])).to_have_attribute("href", f"mailto:{bob['email']}")
    carol_card = cards.filter(has_text="Carol Shaw")
    expect(carol_card).to_contain_text("They scanned you")
    expect(carol_card).to_contain_text("No contact details shared with you.")
    group = page.get_by_role("region", name=f"Met at Platform Night {device}")
    expect(group.get_by_role("heading", name=f"Platform Night {device}")).to_be_visible()
    expect(page.get_by_text("2 people in your connections")).to_be_visible()
    shot(page, f"connections-{device}-03-list", full_page=True)

    # Bob sees Ada, scanned both ways, with his own tag and not Ada's note.
    bob_page = launch(viewport=viewport)
    signed_in(bob_page, bob)
    bob_page.goto("/me/connections")
    ada_card = bob_page.get_by_test_id("connection").filter(has_text="Ada Lovelace")
    expect(ada_card).to_contain_text("You scanned each other")
    expect(ada_card).to_contain_text("Offered help")
    expect(ada_card).not_to_contain_text("SRE book")
    expect(ada_card).not_to_contain_text("Asked for advice")

    # Search, kept in the address through a reload.
    page.get_by_label("Search").fill("cranes")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Bob Builder")
    expect(page).to_have_url(re.compile(r"/me/connections\?q=cranes$"))
    page.reload()
    expect(page.get_by_label("Search")).to_have_value("cranes")
    expect(cards).to_have_count(1)
    expect(page.get_by_text("1 person matches")).to_be_visible()
    shot(page, f"connections-{device}-04-search")
    page.get_by_role("button", name="Clear filters").click()
    expect(cards).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/me/connections$"))

    # Open Bob: a note, one more tag, followed up.
    bob_card.get_by_role("button", name="Open Bob Builder").click()
    sheet = page.get_by_role("dialog", name="Bob Builder")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("you scanned them")
    expect(sheet).to_contain_text("they scanned you")
    expect(sheet.get_by_role("checkbox", name="Asked for advice")).to_be_checked()
    # The event's own action, offered in its organizer's words.
    expect(sheet.get_by_role("checkbox", name="Demoed our app")).not_to_be_checked()
    shot(page, f"connections-{device}-05-open")
    sheet.get_by_label("Your note").fill("Ask about the SRE book.\nIntroduce him to Carol.")
    sheet.get_by_role("checkbox", name="Offered help").check()
    sheet.get_by_role("checkbox", name="Introduced ourselves").uncheck()
    sheet.get_by_role("checkbox", name="I followed up with Bob Builder").check()
    sheet.get_by_label("A tag of your own").fill("hiring in Q3")
    sheet.get_by_role("button", name="Add tag").click()
    expect(sheet.get_by_role("checkbox", name="hiring in Q3")).to_be_checked()
    sheet.get_by_label("A tag of your own").fill("SRE book club")
    sheet.get_by_label("A tag of your own").press("Enter")  # adds it; the form is saved with Save
    expect(sheet.get_by_role("checkbox", name="SRE book club")).to_be_checked()
    expect(sheet.get_by_text("Saved.")).to_be_hidden()
    shot(page, f"connections-{device}-05b-own-tags")
    sheet.get_by_role("button", name="Save").click()
    expect(sheet.get_by_text("Saved.")).to_be_visible()
    shot(page, f"connections-{device}-06-saved")
    [mine] = [
        c
        for c in live_app.api("GET", "/me/connections", ada["token"], expect=200)["items"]
        if c["other"]["name"] == "Bob Builder"
    ]
    assert mine["note"] == "Ask about the SRE book.\nIntroduce him to Carol."
    assert mine["tags"] == ["asked_advice", "offered_help", "hiring in Q3", "SRE book club"]
    assert mine["followed_up"] is True
    sheet.get_by_role("button", name="Done").click()
    expect(sheet).to_be_hidden()
    expect(bob_card).to_contain_text("✓ Followed up")
    expect(bob_card).not_to_contain_text("Introduced ourselves")
    expect(bob_card).to_contain_text("hiring in Q3")

    # Follow-up filter, in the address.
    page.get_by_text("Not yet", exact=True).click()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Carol Shaw")
    expect(page).to_have_url(re.compile(r"followed_up=false"))
    shot(page, f"connections-{device}-07-not-followed-up")

    # The downloads hold what the list shows: Carol alone here, everyone without filters.
    name, text = download(page, "Download vCards", tmp_path)
    assert name == "connections.vcf"
    assert [card.fn.value for card in vobject.readComponents(text)] == ["Carol Shaw"]
    page.get_by_text("All", exact=True).click()
    expect(cards).to_have_count(2)
    name, text = download(page, "Download vCards", tmp_path)
    found = {card.fn.value: card for card in vobject.readComponents(text)}
    assert set(found) == {"Bob Builder", "Carol Shaw"}
    bob_vcard = found["Bob Builder"]
    assert (bob_vcard.n.value.given, bob_vcard.n.value.family) == ("Bob", "Builder")
    assert bob_vcard.email.value == bob["email"] and bob_vcard.tel.value == "+44 20 7946 0000"
    assert bob_vcard.org.value == ["Cranes & Co"] and bob_vcard.title.value == "Site reliability engineer"
    assert bob_vcard.url.value == "https://bob.example/blog"
    assert f"Platform Night {device}" in bob_vcard.note.value
    assert bob_vcard.note.value.endswith("Introduce him to Carol.")
    # Actions in the words the app shows; my own tags as I typed them.
    assert bob_vcard.categories.value == ["Asked for advice", "Offered help", "hiring in Q3", "SRE book club"]
    assert "email" not in found["Carol Shaw"].contents  # she shares it with nobody
    name, text = download(page, "Download CSV", tmp_path)
    assert name == "connections.csv"
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"Bob Builder", "Carol Shaw"}
    assert rows["Bob Builder"]["followed_up"] == "True" and rows["Bob Builder"]["email"] == bob["email"]
    assert rows["Bob Builder"]["tags"] == "Asked for advice; Offered help; hiring in Q3; SRE book club"
    assert rows["Bob Builder"]["phone"] == "+44 20 7946 0000"  # readable, not '+44 ...
    assert rows["Carol Shaw"]["scanned_me"] == "True" and rows["Carol Shaw"]["i_scanned"] == "False"

    # My summary of the event, from the event's group.
    group.get_by_role("link", name=re.compile("Event summary")).click()
    expect(page).to_have_url(re.compile(rf"/me/connections/events/{event['id']}$"))
    expect(page.get_by_role("heading", name=f"People you met at Platform Night {device}")).to_be_visible()
    expect(page.get_by_test_id("connection")).to_have_count(2)
    expect(page.get_by_text("people met")).to_be_visible()
    shot(page, f"connections-{device}-08-event-summary", full_page=True)
    page.get_by_role("link", name="My connections").first.click()
    expect(page).to_have_url(re.compile(rf"/me/connections\?event={event['id']}$"))
    expect(page.get_by_label("Event")).to_have_value(str(event["id"]))

    # Remove Carol, after saying what that does.
    carol_card.get_by_role("button", name="Open Carol Shaw").click()
    sheet = page.get_by_role("dialog", name="Carol Shaw")
    sheet.get_by_role("button", name="Remove connection").click()
    expect(sheet.get_by_role("heading", name="Remove Carol Shaw from your connections?")).to_be_visible()
    expect(sheet).to_contain_text("Your note and tags about them are erased.")
    shot(page, f"connections-{device}-09-confirm-remove")
    sheet.get_by_role("button", name="Remove", exact=True).click()
    expect(page.get_by_text("Carol Shaw was removed from your connections.")).to_be_visible()
    expect(cards).to_have_count(1)

    # Block Bob, after saying what a block does; he no longer sees Ada either.
    bob_card.get_by_role("button", name="Open Bob Builder").click()
    sheet = page.get_by_role("dialog", name="Bob Builder")
    sheet.get_by_role("button", name="Block Bob Builder").click()
    expect(sheet.get_by_role("heading", name="Block Bob Builder?")).to_be_visible()
    expect(sheet).to_contain_text("You are hidden from each other everywhere")
    expect(sheet).to_contain_text("only a scan of your badge tells them they cannot connect with you.")
    shot(page, f"connections-{device}-10-confirm-block")
    sheet.get_by_role("button", name="Block Bob Builder").click()
    expect(page.get_by_text("You blocked Bob Builder.")).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    expect(page.get_by_role("heading", name="Nobody here yet")).to_be_visible()
    bob_page.reload()
    expect(bob_page.get_by_role("heading", name="Nobody here yet")).to_be_visible()

    # Blocked people: unblock, after saying what that does.
    page.get_by_text("Blocked people (1)").click()
    blocked = page.get_by_test_id("blocked")
    expect(blocked).to_contain_text("Bob Builder")
    blocked.get_by_role("button", name="Unblock Bob Builder").click()
    expect(blocked).to_contain_text("The connection the block ended does not come back, for either of you")
    shot(page, f"connections-{device}-11-blocked", full_page=True)
    blocked.get_by_role("button", name="Unblock", exact=True).click()
    expect(page.get_by_text("You unblocked Bob Builder.")).to_be_visible()
    expect(page.get_by_test_id("blocked")).to_have_count(0)
    assert live_app.api("GET", "/me/blocks", ada["token"], expect=200)["items"] == []
    bob_page.reload()  # the block ended the connection for both: Bob does not keep listing Ada on his own
    expect(bob_page.get_by_role("heading", name="Nobody here yet")).to_be_visible()


def test_signed_out_the_list_asks_to_sign_in(launch, shot):
    page = launch()
    page.goto("/me/connections")
    expect(page.get_by_role("heading", name="My connections")).to_be_visible()
    expect(page.get_by_label("Email")).to_be_visible()
    shot(page, "connections-phone-00-signed-out")


def _fake_connection(n: int) -> dict:
    """A connection as the API answers it (the paging test answers the list itself: 21 real people would need 21
    sign-ups)."""
    met_at = (datetime(2026, 5, 1, 18, 0, tzinfo=UTC) - timedelta(minutes=n)).isoformat()
    return {
        "id": 1000 + n,
        "other": {
            "user_id": 2000 + n,
            "name": f"Person {n:02}",
            "headline": "Engineer",
            "company": None,
            "email": None,
            "phone": None,
            "links": None,
            "topics": None,
            "mentoring_offered": None,
            "mentoring_sought": None,
        },
        "connected": True,
        "i_scanned": True,
        "scanned_me": False,
        "first_met_at": met_at,
        "last_met_at": met_at,
        "meetings": [
            {
                "id": 3000 + n,
                "event_id": 7,
                "event_title": "Paging Meetup",
                "scanned_at": met_at,
                "by_me": True,
                "actions": [],
            }
        ],
        "tags": [],
        "note": "",
        "followed_up": False,
    }


def test_a_long_list_comes_in_pages_kept_in_the_address(live_app, launch, shot):
    person = live_app.organizer(name="Paula Pager")
    asked = []

    def answer(route):
        page_number = int(re.search(r"[?&]page=(\d+)", route.request.url).group(1))
        asked.append(page_number)
        numbers = range(20) if page_number == 1 else range(20, 21)
        body = {
            "items": [_fake_connection(n) for n in numbers],
            "page": page_number,
            "per_page": 20,
            "total": 21,
            "pages": 2,
        }
        route.fulfill(json=body)

    page = launch()
    signed_in(page, person)
    page.route(re.compile(r"/api/v1/me/connections\?"), answer)
    page.goto("/me/connections")
    expect(page.get_by_test_id("connection")).to_have_count(20)
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(page.get_by_role("button", name="← Previous")).to_be_disabled()
    page.get_by_role("button", name="Next →").click()
    expect(page.get_by_test_id("connection")).to_have_count(1)
    expect(page.get_by_text("Person 20")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/me/connections\?page=2$"))
    shot(page, "connections-phone-12-second-page")
    page.reload()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    page.get_by_role("button", name="← Previous").click()
    expect(page.get_by_test_id("connection")).to_have_count(20)
    expect(page).to_have_url(re.compile(r"/me/connections$"))
    assert asked == [1, 2, 2, 1]


def test_an_events_own_actions_read_in_its_words_and_an_organizer_rewords_and_removes_one(live_app, launch, shot):
    """The connection cards read an event's own actions in its organizers' words (not "Talked ai"); the organizer
    rewords one and then removes it under Details: past meetings keep it, in its words; new ones cannot carry it."""
    organizer = live_app.organizer(name="Omar Organizer")
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    event = live_app.event(
        organizer["token"],
        title="Data Guild Social",
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=3)).isoformat(),
    )
    actions_url = f"/events/{event['id']}/exchange-actions"
    live_app.api(
        "PATCH", actions_url, organizer["token"], json={"custom": ["talked_ai"], "labels": {"talked_ai": "Talked AI"}}
    )
    ada = {**live_app.register(event["id"], "Ada Lovelace"), "name": "Ada Lovelace"}
    bob = {**live_app.register(event["id"], "Bob Builder"), "name": "Bob Builder"}
    assert scan(live_app, ada, bob, actions=["talked_ai"])["result"] == "recorded"

    page = launch()
    signed_in(page, ada)
    page.goto("/me/connections")
    card = page.get_by_test_id("connection")
    expect(card.locator(".action-tag")).to_have_text(["Talked AI"])
    shot(page, "connections-own-action-in-words")

    desk = launch()
    signed_in(desk, organizer)
    desk.goto(f"/organize/events/{event['id']}/details")
    editor = desk.get_by_test_id("exchange-actions")
    expect(editor).to_contain_text("The five standard actions are offered at every event")
    words = editor.get_by_label("Words for “Talked AI”")
    words.fill("Talked about AI")
    editor.get_by_role("button", name="Save the words").click()
    expect(editor.get_by_role("status")).to_have_text("Saved the words.")
    assert live_app.api("GET", actions_url)["labels"] == {"talked_ai": "Talked about AI"}
    shot(desk, "organizer-exchange-actions", full_page=True)

    # Removing asks first; saying no changes nothing.
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    desk.once("dialog", lambda dialog: answer(dialog, False))
    editor.get_by_role("button", name="Remove “Talked about AI”").click()
    expect(editor.get_by_label("Words for “Talked about AI”")).to_be_visible()
    assert live_app.api("GET", actions_url)["custom"] == ["talked_ai"]
    desk.once("dialog", lambda dialog: answer(dialog, True))
    editor.get_by_role("button", name="Remove “Talked about AI”").click()
    expect(editor.get_by_role("status")).to_contain_text("meetings already tagged with it keep it")
    assert (
        questions
        == [
            "Remove “Talked about AI”? People can no longer tag new meetings with “Talked about AI”; past meetings keep it."
        ]
        * 2
    )
    expect(editor.get_by_test_id("retired-actions")).to_have_text("Removed, kept on past meetings: Talked about AI.")
    expect(editor).to_contain_text("This event has no actions of its own yet.")
    shot(desk, "organizer-exchange-actions-removed", full_page=True)
    after = live_app.api("GET", actions_url)
    assert (after["custom"], after["retired"]) == ([], ["talked_ai"])
    refused = live_app.api(
        "POST",
        "/exchanges",
        bob["token"],
        json={"qr": live_app.badge_url(ada), "nonce": secrets.token_hex(8), "actions": ["talked_ai"]},
    )
    assert refused["reason"] == "unknown_action", refused

    page.reload()
    expect(page.get_by_test_id("connection").locator(".action-tag")).to_have_text(["Talked about AI"])


def test_a_link_reads_on_one_line_on_a_connection_card(live_app, launch, shot):
    """A link is "Link" and its site, each on one line, cut with "…" when too long: never a domain broken over
    three lines in the narrow column beside it."""
    organizer = live_app.organizer(name="Omar Organizer")
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    event = live_app.event(
        organizer["token"],
        title="Links Meetup",
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=3)).isoformat(),
    )
    ada = {**live_app.register(event["id"], "Ada Lovelace"), "name": "Ada Lovelace"}
    bob = {**live_app.register(event["id"], "Bob Builder"), "name": "Bob Builder"}
    links = [
        {"label": "bob.example.com", "url": "https://bob.example.com/ample/com"},
        {"label": "bob-builder-engineering.example.org", "url": "https://bob-builder-engineering.example.org/work"},
    ]
    live_app.api("PATCH", "/me", bob["token"], json={"links": links, "sharing": {"links": "everyone"}}, expect=200)
    assert scan(live_app, ada, bob)["result"] == "recorded"

    for device, viewport in VIEWPORTS.items():
        page = launch(viewport=viewport)
        signed_in(page, ada)
        page.goto("/me/connections")
        rows = (
            page.get_by_test_id("connection").locator(".contact-lines li").filter(has=page.locator("a[target=_blank]"))
        )
        expect(rows).to_have_count(2)
        expect(rows.locator(".contact-kind")).to_have_text(["Link", "Link"])
        expect(rows.locator("a")).to_have_text(["bob.example.com", "bob-builder-engineering.example.org"])
        for cell in (*rows.locator(".contact-kind").all(), *rows.locator("a").all()):
            one_line = cell.evaluate(
                "el => { const range = document.createRange(); range.selectNodeContents(el);"
                " return new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size === 1; }"
            )
            assert one_line, cell.inner_text()
        shot(page, f"connections-link-one-line-{device}", full_page=True)


def test_each_event_has_one_section_whose_count_says_what_it_counts(live_app, launch, shot):
    """The list comes sorted by last meeting, so Bob (met at the Running Meetup, then later at the Short Meetup)
    comes between Alice and Eve: the Running Meetup still has one section, above the Short Meetup's (met there
    last), and its count says it holds 2 of the 3 people met there (Bob is under the Short Meetup)."""
    organizer = live_app.organizer()
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    times = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=3)).isoformat()}
    running = live_app.event(organizer["token"], title="Running Meetup", **times)
    short = live_app.event(organizer["token"], title="Short Meetup", **times)
    vera = live_app.register(running["id"], "Vera Viewer")
    vera_email = live_app.api("GET", "/me", vera["token"], expect=200)["email"]
    vera_short = live_app.register(short["id"], "Vera Viewer", email=vera_email)
    alice, eve = (live_app.register(running["id"], name) for name in ("Alice Archer", "Eve Engel"))
    bob = live_app.register(running["id"], "Bob Baker")
    bob_email = live_app.api("GET", "/me", bob["token"], expect=200)["email"]
    bob_short = live_app.register(short["id"], "Bob Baker", email=bob_email)
    # In this order, so the last meetings read Alice, Bob (at the Short Meetup), Eve.
    scan(live_app, vera, eve)
    scan(live_app, vera, bob)
    scan(live_app, vera_short, bob_short)
    scan(live_app, vera, alice)
    listed = live_app.api("GET", "/me/connections", vera["token"], expect=200)["items"]
    assert [c["other"]["name"] for c in listed] == ["Alice Archer", "Bob Baker", "Eve Engel"]

    page = launch()
    signed_in(page, vera)
    page.goto("/me/connections")
    expect(page.get_by_test_id("connection")).to_have_count(3)
    sections = page.locator(".connection-group")
    expect(sections.locator("h2")).to_have_text(["Running Meetup", "Short Meetup"])
    running_section = page.get_by_role("region", name="Met at Running Meetup")
    expect(running_section.get_by_test_id("connection")).to_have_count(2)
    expect(running_section.get_by_test_id("connection").first).to_contain_text("Alice Archer")
    expect(running_section.get_by_test_id("connection").last).to_contain_text("Eve Engel")
    expect(running_section.locator(".group-count")).to_have_text("2 of the 3 you met there · 0 of 3 followed up")
    short_section = page.get_by_role("region", name="Met at Short Meetup")
    expect(short_section.get_by_test_id("connection")).to_have_count(1)
    expect(short_section.locator(".group-count")).to_have_text("1 person · 0 followed up")
    shot(page, "connections-phone-13-one-section-per-event", full_page=True)
