"""Networking bingo in a real browser: the organizer sets up the card and starts a round; attendees exchange
(through the API, as their phones' scans do) until one completes a row; her card shows each square signed, by
whom, within seconds, and celebrates the row; the projector shows the leaderboard and the room's numbers; after
the organizer ends the round, everyone sees what it did for the room."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
FULL_HD = {"width": 1920, "height": 1080}
#: The card polls every 2.5 s while a round runs: a signed square shows well within this.
LIVE_MS = 8000
#: The event's own actions that, with the five standard ones, make the nine of a 3x3 card: kept in these words
#: ("Talk about AI", not the "Talk about ai" its slug would spell).
OWN = ["Swap business cards", "Find a shared topic", "Talk about AI", "Share a tool"]


def signed_in(page, person: dict) -> None:
    """Put the person's session where the app keeps it (what signing in does)."""
    page.goto("/")
    session = {"token": person["token"], "user": {"id": 0, "name": person["name"], "email": person["email"]}}
    page.evaluate("session => localStorage.setItem('netevents.session', JSON.stringify(session))", session)


def shots(page, shot, name: str, viewports=(PHONE, LAPTOP), full_page=False) -> None:
    """The screen as it is now at each size, back to the first size after."""
    for viewport in viewports:
        page.set_viewport_size(viewport)
        shot(page, f"{name}-{viewport['width']}x{viewport['height']}", full_page=full_page)
    page.set_viewport_size(viewports[0])


def fits_a_phone(page, shot, name: str) -> None:
    """The projector is for a big screen, but on a phone it must not break: one column, nothing wider than the
    screen, the leaderboard and the room's numbers the screen's width."""
    page.set_viewport_size(PHONE)
    shot(page, f"{name}-{PHONE['width']}x{PHONE['height']}", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for part in (page.get_by_role("list", name="Leaderboard"), page.locator(".projector-numbers")):
        box = part.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["width"] >= 0.8 * PHONE["width"], f"squeezed into a column beside another: {box}"
    page.set_viewport_size(LAPTOP)


def exchange(live_app, scanner: dict, scanned: dict, action: str, nonce: str) -> None:
    """`scanner` scans `scanned`'s badge and tags one action, as the Meet screen sends it."""
    answer = live_app.api(
        "POST",
        "/exchanges",
        scanner["token"],
        json={"qr": live_app.badge_url(scanned), "nonce": nonce, "actions": [action]},
        expect=200,
    )
    assert answer["result"] == "recorded", answer


def test_a_round_from_setup_to_bingo_to_its_numbers(live_app, launch, shot):
    organizer = live_app.organizer(name="Olivia Organizer")
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    event = live_app.event(
        organizer["token"],
        title="Platform Engineering Night",
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=3)).isoformat(),
    )
    people = {
        name.split()[0].lower(): {
            **live_app.register(event["id"], name, company=company, directory_opt_in=True),
            "name": name,
        }
        for name, company in (
            ("Ada Lovelace", "Analytical Engines"),
            ("Bob Builder", "Cranes"),
            ("Cy Young", "Pitchers"),
            ("Di Ford", "Analytical Engines"),
        )
    }
    ada, bob, cy, di = people["ada"], people["bob"], people["cy"], people["di"]
    for index, person in enumerate((ada, bob, cy)):
        live_app.api(
            "POST",
            "/checkins",
            organizer["token"],
            json={"registration_id": person["id"], "event_id": event["id"], "nonce": f"door-{index}"},
            expect=200,
        )

    # Someone signed in but not registered: bingo is not for them, and the page says what to do.
    stranger = live_app.organizer(name="Sam Stranger")
    other = launch(viewport=PHONE)
    signed_in(other, stranger)
    other.goto(f"/e/{event['id']}/bingo")
    expect(other.get_by_test_id("bingo-not-registered")).to_contain_text("Bingo is for the people registered")
    expect(other.get_by_role("link", name="event page")).to_be_visible()
    shots(other, shot, "bingo-01-not-registered")

    # Ada opens her card before the organizer has set a bingo up: there is none (yet) at this event.
    phone = launch(viewport=PHONE)
    signed_in(phone, ada)
    phone.goto("/me")
    phone.get_by_role("link", name="Bingo card").click()
    expect(phone.get_by_role("heading", name="Bingo")).to_be_visible()
    expect(phone.get_by_test_id("bingo-none")).to_contain_text("There is no networking bingo at Platform Engineering")

    # The organizer sets up a 3x3 card: the five standard actions are four short, so she adds four of her own.
    desk = launch(viewport=LAPTOP)
    signed_in(desk, organizer)
    desk.goto(f"/organize/events/{event['id']}/bingo")
    expect(desk.get_by_role("heading", name="The card")).to_be_visible()
    expect(desk.get_by_text("The card needs 4 more actions before a round can start")).to_be_visible()
    expect(desk.get_by_role("button", name="Start a 10-minute round")).to_be_disabled()
    shots(desk, shot, "bingo-03-controls-setup", viewports=(LAPTOP, PHONE), full_page=True)
    desk.get_by_role("button", name="Add", exact=True).click()
    expect(desk.locator("#field-own-action-error")).to_contain_text("Type a few words")
    for words in OWN:
        desk.get_by_label("Add your own").fill(words)
        desk.get_by_label("Add your own").press("Enter")
    expect(desk.get_by_label("Swap business cards")).to_be_checked()
    expect(desk.get_by_label("Talk about AI")).to_be_checked()
    expect(desk.get_by_text("9 chosen for 9 squares")).to_be_visible()
    desk.get_by_label("Round length, in minutes").fill("0")
    desk.get_by_role("button", name="Save the card").click()
    expect(desk.locator("#field-round_minutes-error")).to_be_visible()
    desk.get_by_label("Round length, in minutes").fill("10")
    desk.get_by_role("button", name="Save the card").click()
    expect(desk.get_by_text("Saved: the next round uses this card.")).to_be_visible()
    setup = live_app.api("GET", f"/events/{event['id']}/bingo", organizer["token"], expect=200)
    assert (setup["size"], setup["round_minutes"], len(setup["actions"])) == (3, 10, 9)
    assert {"swap_business_cards", "find_a_shared_topic", "talk_about_ai", "share_a_tool"} <= set(setup["actions"])
    offered = live_app.api("GET", f"/events/{event['id']}/exchange-actions", organizer["token"], expect=200)
    assert offered["labels"]["talk_about_ai"] == "Talk about AI"
    desk.reload()  # the pool's words now come from the event, not from what was typed here
    expect(desk.get_by_label("Talk about AI")).to_be_checked()
    # Set up, not started: Ada's card (asking now and then) says a round comes, and it appears by itself.
    expect(phone.get_by_test_id("bingo-no-round")).to_contain_text("No round yet", timeout=LIVE_MS)
    shots(phone, shot, "bingo-02-no-round-yet")

    # Starting asks first; "Not yet" starts nothing.
    desk.get_by_role("button", name="Start a 10-minute round").click()
    dialog = desk.get_by_role("dialog", name="Start the round now?")
    expect(dialog).to_be_visible()
    shot(desk, "bingo-04-controls-confirm-start-1280x800")
    dialog.get_by_role("button", name="Not yet").click()
    assert live_app.api("GET", f"/events/{event['id']}/bingo", organizer["token"])["rounds"] == []
    desk.get_by_role("button", name="Start a 10-minute round").click()
    desk.get_by_role("dialog", name="Start the round now?").get_by_role("button", name="Start now").click()
    expect(desk.get_by_role("heading", name="Round running")).to_be_visible()
    expect(desk.get_by_test_id("countdown")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))

    # Ada's waiting page turns into her card by itself, counting down from ten minutes.
    expect(phone.locator(".square")).to_have_count(9, timeout=LIVE_MS)
    expect(phone.get_by_test_id("countdown")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))
    expect(phone.get_by_text("0 of 9 signed")).to_be_visible()
    expect(phone.locator(".square-action", has_text=re.compile("^Talk about AI$"))).to_have_count(1)
    shots(phone, shot, "bingo-05-card-started")

    # She meets Bob and Cy, scanning their badges with the actions of her top row: signed within seconds, by name.
    card = live_app.api("GET", f"/events/{event['id']}/bingo/card", ada["token"], expect=200)
    top_row = [square["action"] for square in card["squares"][:3]]
    exchange(live_app, ada, bob, top_row[0], "ada-bob")
    exchange(live_app, ada, cy, top_row[1], "ada-cy")
    exchange(live_app, bob, ada, "introduced", "bob-ada")  # Bob's own card gets a square too
    first, second = phone.locator('.square[data-position="0"]'), phone.locator('.square[data-position="1"]')
    expect(first).to_contain_text("Bob Builder", timeout=LIVE_MS)
    expect(second).to_contain_text("Cy Young", timeout=LIVE_MS)
    expect(first).to_have_class(re.compile(r"\bsigned\b"))
    expect(phone.get_by_text("2 of 9 signed")).to_be_visible()
    expect(phone.get_by_test_id("bingo-announcement")).to_contain_text("signed")
    shots(phone, shot, "bingo-06-card-signed-live")

    # Di signs the third square of the row: bingo, celebrated and announced (an alert), the row marked.
    phone.emulate_media(reduced_motion="reduce")
    exchange(live_app, ada, di, top_row[2], "ada-di")
    celebration = phone.get_by_test_id("celebration")
    expect(celebration).to_be_visible(timeout=LIVE_MS)
    expect(celebration).to_have_attribute("role", "alert")
    expect(celebration).to_contain_text("Bingo!")
    expect(celebration).to_contain_text("Row 1 complete")
    expect(phone.locator(".confetti")).to_be_hidden()  # the person asked for less motion
    expect(phone.locator(".square.in-line")).to_have_count(3)
    shots(phone, shot, "bingo-07-celebration")
    phone.emulate_media(reduced_motion="no-preference")
    celebration.get_by_role("button", name="Keep going").click()
    expect(celebration).to_have_count(0)
    expect(phone.get_by_text("Bingo! Row 1. Keep going for more lines.")).to_be_visible()

    # The organizer's leaderboard and the projector: Ada first with her line; the room's numbers.
    expect(desk.get_by_role("list", name="Leaderboard").locator("li").first).to_contain_text(
        "Ada Lovelace", timeout=LIVE_MS
    )
    expect(desk.get_by_role("list", name="Leaderboard").locator("li").first).to_contain_text("1 line")
    shots(desk, shot, "bingo-08-controls-live", viewports=(LAPTOP, PHONE), full_page=True)
    projector = launch(viewport=LAPTOP)
    signed_in(projector, organizer)
    projector.goto(f"/organize/events/{event['id']}/projector")
    board = projector.get_by_role("list", name="Leaderboard")
    expect(board.locator("li")).to_have_count(2)
    expect(board.locator("li").first).to_contain_text("Ada Lovelace")
    expect(board.locator("li").nth(1)).to_contain_text("Bob Builder")
    expect(projector.get_by_test_id("room-checked-in")).to_have_text("3")
    expect(projector.get_by_test_id("room-exchanges")).to_have_text("4")
    expect(projector.get_by_test_id("room-connections")).to_have_text("3")  # Ada-Bob, Ada-Cy, Ada-Di
    expect(projector.get_by_test_id("countdown")).to_have_text(re.compile(r"^9:[0-5]\d$"))
    shots(projector, shot, "bingo-09-projector-live", viewports=(LAPTOP, FULL_HD))
    fits_a_phone(projector, shot, "bingo-09-projector-live")
    # It refreshes by itself: Cy's first exchange shows without a reload.
    exchange(live_app, cy, bob, "asked_advice", "cy-bob")
    expect(projector.get_by_test_id("room-exchanges")).to_have_text("5", timeout=LIVE_MS)

    # Ending asks first too; then everyone sees the round's numbers.
    desk.get_by_role("button", name="End the round now").click()
    end = desk.get_by_role("dialog", name="End the round now?")
    expect(end).to_be_visible()
    shot(desk, "bingo-10-controls-confirm-end-1280x800")
    end.get_by_role("button", name="End the round").click()
    numbers = desk.get_by_test_id("round-numbers")
    expect(numbers).to_contain_text("4 new connections")
    expect(desk.get_by_role("button", name="Start a 10-minute round")).to_be_enabled()
    shots(desk, shot, "bingo-11-controls-ended", viewports=(LAPTOP, PHONE), full_page=True)

    expect(phone.get_by_test_id("round-over")).to_be_visible(timeout=LIVE_MS)
    expect(phone.get_by_test_id("round-over")).to_contain_text("The organizer ended it")
    mine = phone.get_by_test_id("round-numbers")
    expect(mine).to_contain_text("4 new connections")
    expect(mine.locator('[data-stat="exchanges"] dd')).to_have_text("5")  # exchanges during the round
    shots(phone, shot, "bingo-12-card-round-over", full_page=True)

    expect(projector.get_by_text("Round over")).to_be_visible(timeout=LIVE_MS)
    expect(projector.get_by_role("heading", name="Final leaderboard")).to_be_visible()
    shots(projector, shot, "bingo-13-projector-ended", viewports=(LAPTOP, FULL_HD))
    fits_a_phone(projector, shot, "bingo-13-projector-ended")


def test_before_the_event_and_on_a_phone_whose_clock_is_wrong(live_app, launch, shot):
    """Before the event the card says when bingo happens; during a round, a phone seven minutes slow still counts
    down the round's real ten minutes (from the server's clock in the answers), not seventeen; and a card in a
    hidden tab (a phone in a pocket) asks nothing until it shows again."""
    organizer = live_app.organizer(name="Olivia Organizer")
    later = live_app.event(organizer["token"], title="Tomorrow's Meetup")  # starts in half an hour
    eve = {**live_app.register(later["id"], "Eve Early"), "name": "Eve Early"}
    live_app.api(
        "PUT",
        f"/events/{later['id']}/bingo",
        organizer["token"],
        json={"actions": ["introduced", "asked_advice", "offered_help", "mentoring", "shared_knowledge", *"abcd"]},
        expect=200,
    )  # set up: not started
    phone = launch(viewport=PHONE)
    signed_in(phone, eve)
    phone.goto(f"/e/{later['id']}/bingo")
    expect(phone.get_by_test_id("bingo-no-round")).to_contain_text("The bingo has not started")
    shots(phone, shot, "bingo-00-before-the-event")

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    now = live_app.event(
        organizer["token"], starts_at=start.isoformat(), ends_at=(start + timedelta(hours=2)).isoformat()
    )
    fay = {**live_app.register(now["id"], "Fay Wray"), "name": "Fay Wray"}
    live_app.api(
        "PUT",
        f"/events/{now['id']}/bingo",
        organizer["token"],
        json={"actions": ["introduced", "asked_advice", "offered_help", "mentoring", "shared_knowledge", *"abcd"]},
        expect=200,
    )
    live_app.api("POST", f"/events/{now['id']}/bingo/rounds", organizer["token"], json={"minutes": 10}, expect=201)
    slow = launch(viewport=PHONE)
    slow.clock.set_system_time(datetime.now(UTC) - timedelta(minutes=7))
    signed_in(slow, fay)
    slow.goto(f"/e/{now['id']}/bingo")
    assert slow.evaluate("Date.now()") / 1000 < datetime.now(UTC).timestamp() - 6 * 60  # the phone is slow
    expect(slow.get_by_test_id("countdown")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))

    asked = []
    slow.on("request", lambda request: asked.append(request.url) if "/bingo/card" in request.url else None)
    set_visibility = """state => {
      Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
      document.dispatchEvent(new Event("visibilitychange"));
    }"""
    slow.wait_for_timeout(3000)
    assert asked, "the card polls while it is shown"
    slow.evaluate(set_visibility, "hidden")
    slow.wait_for_timeout(500)  # an answer on its way may still land
    asked.clear()
    slow.wait_for_timeout(6000)
    assert asked == [], f"a hidden card asked {len(asked)} times"
    with slow.expect_request(lambda request: "/bingo/card" in request.url, timeout=1000):
        slow.evaluate(set_visibility, "visible")  # shown again: it asks at once


def test_an_event_without_bingo_says_so_without_a_failed_request(live_app, launch, shot):
    """No bingo set up and no round played: the attendee's card and the projector say there is none (the
    projector says where to set one up) instead of "not started", and ask nothing the API answers with an error."""
    organizer = live_app.organizer(name="Nadia Nobingo")
    event = live_app.event(organizer["token"], title="Quiet Architecture Evening")
    ada = live_app.register(event["id"], "Ada Lovelace")

    page = launch()
    refused = []
    page.on(
        "response",
        lambda response: refused.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)

    signed_in(page, ada)
    page.goto(f"/e/{event['id']}/bingo")
    none = page.get_by_test_id("bingo-none")
    expect(none).to_contain_text("There is no networking bingo at Quiet Architecture Evening")
    expect(page.get_by_text("The bingo has not started")).to_have_count(0)
    shots(page, shot, "bingo-none-attendee")

    signed_in(page, organizer)
    page.goto(f"/organize/events/{event['id']}/projector")
    projector = page.get_by_test_id("projector-no-bingo")
    expect(projector).to_contain_text("No networking bingo at this event yet")
    expect(projector.get_by_role("link", name="Bingo controls")).to_have_attribute(
        "href", f"/organize/events/{event['id']}/bingo"
    )
    expect(page.get_by_text("The bingo starts soon")).to_have_count(0)
    shots(page, shot, "bingo-none-projector", viewports=(LAPTOP, PHONE))
    page.wait_for_timeout(3500)  # a refresh of the projector, and of nothing else
    assert refused == []
