"""Journey 5's directory and suggestions, and my profile, in a real browser: who is here (only those who opted in),
whom to meet and why, search and filters, blocking from a card; sharing detail by detail with a preview of what
others see, email choices, blocks, the export of my data and deleting my account. Every state is shot on a phone
(390x844) and on a laptop (1280x800, `-laptop`)."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def both(shot):
    """Shoot the screen as it is on a phone, then on a laptop (back to the phone afterwards)."""

    def _both(page, name: str, full_page: bool = False):
        shot(page, name, full_page=full_page)
        page.set_viewport_size(LAPTOP)
        shot(page, f"{name}-laptop", full_page=full_page)
        page.set_viewport_size(PHONE)

    return _both


def sign_in(live_app, page, person: dict) -> None:
    """Put the person's session where the app keeps it (what the emailed sign-in link does)."""
    me = live_app.api("GET", "/me", person["token"], expect=200)
    page.goto("/")
    session = {"token": person["token"], "user": {"id": me["id"], "name": me["name"], "email": me["email"]}}
    page.evaluate("session => localStorage.setItem('netevents.session', JSON.stringify(session))", session)


def cards(page):
    return page.locator(".people-grid .person-card")


def names_shown(page) -> list[str]:
    return cards(page).locator(".person-card-name").all_inner_texts()


@pytest.fixture
def room(live_app):
    """A meetup with Ada (the viewer), three people she should meet, Hedy who opted out of the directory, and
    twenty more who are listed (so the directory has a second page)."""
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Staff Engineers Meetup")
    event_id = event["id"]
    ada = live_app.register(
        event_id,
        "Ada Lovelace",
        headline="Staff engineer",
        company="Analytical Engines",
        topics=["Kubernetes", "Rust"],
        mentoring_offered=["Go"],
        mentoring_sought=["Tech leadership"],
        directory_opt_in=True,
    )
    grace = live_app.register(
        event_id,
        "Grace Hopper",
        headline="Rear admiral of compilers",
        company="Navy",
        topics=["Kubernetes", "Compilers"],
        mentoring_offered=["Tech leadership"],
        directory_opt_in=True,
    )
    live_app.register(
        event_id,
        "Linus Torvalds",
        headline="Kernel maintainer",
        company="Linux Foundation",
        topics=["Kernels", "Git"],
        mentoring_sought=["Go"],
        directory_opt_in=True,
    )
    live_app.register(event_id, "Katherine Johnson", company="NASA", topics=["Rust"], directory_opt_in=True)
    # Hedy shares everything Ada looks for, and chose not to be listed: she must never show.
    hedy = live_app.register(
        event_id,
        "Hedy Lamarr",
        headline="Inventor",
        company="Frequency Hopping",
        topics=["Kubernetes", "Rust"],
        mentoring_offered=["Tech leadership"],
        directory_opt_in=False,
    )
    for number in range(20):
        live_app.api(
            "POST",
            f"/events/{event_id}/registrations",
            json={
                "name": f"Person {number:02d}",
                "email": f"person{number:02d}.{event_id}@example.org",
                "topics": ["Networking"],
                "directory_opt_in": True,
            },
            expect=202,
        )
    return {"organizer": organizer, "event": event, "ada": ada, "grace": grace, "hedy": hedy}


def test_people_here_suggests_lists_searches_filters_and_blocks(live_app, launch, both, room):
    event_id, ada, hedy = room["event"]["id"], room["ada"], room["hedy"]
    page = launch()

    # Signed out: sign in first.
    page.goto(f"/e/{event_id}/people")
    expect(page.get_by_role("heading", name="People here")).to_be_visible()
    expect(page.get_by_text("Sign in to see who else is at this event")).to_be_visible()
    both(page, "people-01-signed-out")

    # Suggestions, most in common first, each with its reason in words; Hedy, who opted out, is not among them.
    sign_in(live_app, page, ada)
    page.goto(f"/e/{event_id}/people")
    expect(page.get_by_role("tab", name="Suggested")).to_have_attribute("aria-selected", "true")
    expect(cards(page)).to_have_count(3)
    assert names_shown(page) == ["Grace Hopper", "Linus Torvalds", "Katherine Johnson"]
    grace_card = page.get_by_role("article", name="Grace Hopper")
    expect(grace_card.locator(".person-reason")).to_have_text(
        "Why meet: You both care about Kubernetes; Grace mentors in Tech leadership, which you are looking for"
    )
    expect(page.get_by_role("article", name="Linus Torvalds").locator(".person-reason")).to_contain_text(
        "Linus is looking for a mentor in Go, which you mentor in"
    )
    expect(page.get_by_role("article", name="Katherine Johnson").locator(".person-reason")).to_contain_text(
        "You both care about Rust"
    )
    expect(page.get_by_text("Hedy Lamarr")).to_have_count(0)
    expect(page.get_by_test_id("not-listed")).to_have_count(0)
    both(page, "people-02-suggested", full_page=True)

    # Everyone listed, by name, a page at a time; Hedy is not there either, whatever is searched.
    page.get_by_role("tab", name="Everyone").click()
    expect(page.get_by_text("24 people listed here")).to_be_visible()
    expect(cards(page)).to_have_count(20)
    assert "tab=everyone" in page.url
    expect(page.get_by_role("article", name="Ada Lovelace").get_by_text("This is you")).to_be_visible()
    both(page, "people-03-everyone")
    page.get_by_role("button", name="Show more people (4 more)").click()
    expect(cards(page)).to_have_count(24)
    assert "Hedy Lamarr" not in names_shown(page)

    search = page.get_by_role("searchbox", name="Search people by name, headline, company or topic")
    search.fill("navy")
    expect(page.get_by_text("1 person matches")).to_be_visible()
    assert names_shown(page) == ["Grace Hopper"]
    assert "q=navy" in page.url
    both(page, "people-04-search")
    search.fill("hedy")
    expect(page.get_by_role("heading", name="Nobody matches")).to_be_visible()
    both(page, "people-05-no-match")
    search.fill("frequency")  # Hedy's company
    expect(page.get_by_role("heading", name="Nobody matches")).to_be_visible()
    page.get_by_role("button", name="Clear the search and filters").click()
    expect(page.get_by_text("24 people listed here")).to_be_visible()

    # Filters: one tap from my own profile, or typed; several narrow together.
    page.get_by_role("button", name="Mentors in Tech leadership").click()
    expect(page.get_by_text("1 person matches")).to_be_visible()
    assert names_shown(page) == ["Grace Hopper"]
    expect(page.get_by_role("button", name="Remove the filter Mentors in Tech leadership")).to_be_visible()
    page.get_by_role("button", name="Remove the filter Mentors in Tech leadership").click()
    expect(page.get_by_text("24 people listed here")).to_be_visible()
    page.get_by_role("button", name="Filters").click()
    page.get_by_role("combobox", name="Cares about").fill("rust")
    expect(page.get_by_text("2 people match")).to_be_visible()
    assert names_shown(page) == ["Ada Lovelace", "Katherine Johnson"]
    page.get_by_role("combobox", name="Looks for a mentor in").fill("go")
    expect(page.get_by_role("heading", name="Nobody matches")).to_be_visible()
    page.get_by_role("combobox", name="Looks for a mentor in").fill("")
    page.get_by_role("combobox", name="Cares about").fill("")
    page.get_by_role("combobox", name="Looks for a mentor in").fill("Go")
    expect(page.get_by_text("1 person matches")).to_be_visible()
    assert names_shown(page) == ["Linus Torvalds"]
    both(page, "people-06-filters", full_page=True)

    # Block from the card: it asks first and says what it does; the person goes from the list at once.
    page.get_by_role("article", name="Linus Torvalds").get_by_role("button", name="Block Linus Torvalds").click()
    sheet = page.get_by_role("dialog", name="Block Linus Torvalds?")
    expect(sheet).to_contain_text("Linus gets no message; only if they try to scan your badge")
    both(page, "people-07-block-confirm")
    sheet.get_by_role("button", name="Block Linus").click()
    expect(page.get_by_text("You blocked Linus Torvalds.")).to_be_visible()
    expect(page.get_by_role("article", name="Linus Torvalds")).to_have_count(0)
    both(page, "people-08-blocked")
    blocks = live_app.api("GET", "/me/blocks", ada["token"], expect=200)["items"]
    assert [block["name"] for block in blocks] == ["Linus Torvalds"]
    page.get_by_role("button", name="Clear all").click()
    page.get_by_role("tab", name="Suggested").click()
    expect(cards(page)).to_have_count(2)
    assert names_shown(page) == ["Grace Hopper", "Katherine Johnson"]

    # Hedy, who opted out, is told so on a laptop; she still sees who is here and whom to meet.
    laptop = launch(viewport=LAPTOP)
    sign_in(live_app, laptop, hedy)
    laptop.goto(f"/e/{event_id}/people")
    expect(laptop.get_by_test_id("not-listed")).to_contain_text("You are not listed.")
    expect(laptop.get_by_role("link", name="Change this in your profile")).to_have_attribute(
        "href", "/me/profile#directory"
    )
    expect(cards(laptop).first).to_be_visible()
    assert "Grace Hopper" in names_shown(laptop)
    laptop.get_by_role("tab", name="Everyone").click()
    expect(laptop.get_by_text("24 people listed here")).to_be_visible()  # not 25: she is not listed
    laptop.set_viewport_size(PHONE)
    both(laptop, "people-09-opted-out")


def test_empty_states_say_what_to_do(live_app, launch, both, room):
    organizer = room["organizer"]
    quiet = live_app.event(organizer["token"], title="A Quiet Evening")
    alone = live_app.register(quiet["id"], "Alan Turing", topics=[], directory_opt_in=False)
    page = launch()

    # Listed nobody, suggested nobody, and no topics of mine to go on: say what to do.
    sign_in(live_app, page, alone)
    page.goto(f"/e/{quiet['id']}/people")
    expect(page.get_by_role("heading", name="Tell us what you care about")).to_be_visible()
    expect(page.get_by_role("link", name="Add topics to my profile")).to_be_visible()
    expect(page.get_by_test_id("not-listed")).to_be_visible()
    both(page, "people-10-no-suggestions")
    page.get_by_role("button", name="See everyone here").click()
    expect(page.get_by_role("tab", name="Everyone")).to_be_focused()
    expect(page.get_by_role("heading", name="Nobody is listed yet")).to_be_visible()
    both(page, "people-11-directory-empty")

    # Not registered for the meetup: a way to register, and nobody's card.
    page.goto(f"/e/{room['event']['id']}/people")
    expect(page.get_by_role("heading", name="Register to see who is here")).to_be_visible()
    expect(page.get_by_role("link", name="Register for Staff Engineers Meetup")).to_have_attribute(
        "href", f"/e/{room['event']['id']}"
    )
    expect(cards(page)).to_have_count(0)
    both(page, "people-12-not-registered")


def test_my_profile_sharing_preview_export_and_delete(live_app, launch, both, room, tmp_path: Path):
    event_id, ada, grace = room["event"]["id"], room["ada"], room["grace"]
    live_app.api("POST", "/me/blocks", ada["token"], json={"user_id": _user_id(live_app, grace)}, expect=201)
    page = launch()

    page.goto("/me/profile")
    expect(page.get_by_text("Sign in to change your profile")).to_be_visible()
    both(page, "profile-01-signed-out")

    sign_in(live_app, page, ada)
    page.goto("/me/profile")
    expect(page.get_by_label("Name")).to_have_value("Ada Lovelace")
    preview = page.get_by_test_id("preview-card")
    # As people at my events see me: the defaults share headline and company, not my email.
    expect(preview).to_contain_text("Staff engineer · Analytical Engines")
    expect(preview).not_to_contain_text("ada.")
    expect(preview).to_contain_text("Kubernetes")
    both(page, "profile-02-start", full_page=True)

    # Sharing, detail by detail: the preview follows each change before it is saved.
    page.get_by_label("Email", exact=True).select_option("everyone")
    expect(preview.get_by_role("link", name=re.compile(r"^ada\..*@example\.org$"))).to_be_visible()
    page.get_by_label("Company", exact=True).select_option("nobody")
    expect(preview).not_to_contain_text("Analytical Engines")
    page.get_by_label("Phone (optional)").fill("+44 20 7946 0000")
    expect(preview).not_to_contain_text("+44 20 7946 0000")  # shared with people I met only (the default)
    page.get_by_text("Someone I met").click()
    expect(preview).to_contain_text("+44 20 7946 0000")
    page.get_by_text("Someone at my events").click()
    page.get_by_label("List me in the directory of every event I attend").uncheck()
    expect(preview).not_to_contain_text("Kubernetes")
    expect(page.get_by_text("Hidden from them: company, phone, topics and mentoring.")).to_be_visible()
    page.get_by_label("List me in the directory of every event I attend").check()
    both(page, "profile-03-preview", full_page=True)
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Saved. People you meet")).to_be_focused()
    me = live_app.api("GET", "/me", ada["token"], expect=200)
    assert (me["sharing"]["email"], me["sharing"]["company"], me["phone"]) == (
        "everyone",
        "nobody",
        "+44 20 7946 0000",
    )

    # What another attendee sees, in their browser: the email now, not the company.
    other = launch(viewport=LAPTOP)
    katherine = live_app.register(event_id, "Katherine Other", topics=["Go"], directory_opt_in=True)
    sign_in(live_app, other, katherine)
    other.goto(f"/e/{event_id}/people?tab=everyone&q=ada")
    ada_card = other.get_by_role("article", name="Ada Lovelace")
    expect(ada_card.get_by_role("link", name=re.compile(r"^ada\..*@example\.org$"))).to_be_visible()
    expect(ada_card).not_to_contain_text("Analytical Engines")
    expect(ada_card).not_to_contain_text("+44")
    expect(ada_card).to_contain_text("Staff engineer")

    # Email choices, saved as they change.
    follow_up = page.get_by_label("After an event: the people I met")
    expect(follow_up).to_be_checked()
    follow_up.uncheck()
    expect(page.get_by_text("Turned off: you will not get these emails.")).to_be_visible()
    assert live_app.api("GET", "/me", ada["token"], expect=200)["email_preferences"] == {
        "follow_up": False,
        "stay_connected": True,
    }

    # The people I blocked, and lifting a block.
    blocked = page.get_by_role("region", name="People you blocked")
    expect(blocked).to_contain_text("Grace Hopper")
    page.get_by_role("region", name="People you blocked").scroll_into_view_if_needed()
    both(page, "profile-04-blocked")
    blocked.get_by_role("button", name="Unblock Grace Hopper").click()
    expect(blocked).to_contain_text("Grace Hopper can see you again")
    expect(blocked).to_contain_text("Nobody.")
    assert live_app.api("GET", "/me/blocks", ada["token"], expect=200)["items"] == []

    # My data as a JSON file.
    with page.expect_download(timeout=8000) as download:
        page.get_by_role("button", name="Download my data").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert re.fullmatch(r"netevents-my-data-\d{4}-\d{2}-\d{2}\.json", saved.name)
    data = json.loads(saved.read_text())
    assert data["profile"]["email"] == me["email"]
    assert [r["event_id"] for r in data["registrations"]] == [event_id]
    expect(page.get_by_text(f"Downloaded: look for {saved.name}")).to_be_visible()

    # Deleting asks for a typed word after saying what goes; then I am signed out and the token is dead.
    page.get_by_role("button", name="Delete my account…").click()
    sheet = page.get_by_role("dialog", name="Delete your account?")
    expect(sheet).to_contain_text("your connections, your notes and tags")
    confirm = sheet.get_by_role("button", name="Delete my account")
    expect(confirm).to_be_disabled()
    sheet.get_by_label("Type “delete” to confirm").fill("delet")
    expect(confirm).to_be_disabled()
    both(page, "profile-05-delete-confirm")
    sheet.get_by_label("Type “delete” to confirm").fill("delete")
    confirm.click()
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    assert page.evaluate("localStorage.getItem('netevents.session')") is None
    both(page, "profile-06-deleted")
    live_app.api("GET", "/me", ada["token"], expect=401)
    other.reload()
    expect(other.get_by_role("heading", name="Nobody matches")).to_be_visible()


def _user_id(live_app, person: dict) -> int:
    return live_app.api("GET", "/me", person["token"], expect=200)["id"]


def test_a_refused_search_says_why_next_to_the_box_and_shows_no_old_answer(live_app, launch, both, room):
    """A search the API refuses (a character it does not take, more than 100 characters from an edited address):
    its message next to the search box, linked to it, and no people left from the search before."""
    event_id, ada = room["event"]["id"], room["ada"]
    page = launch()
    sign_in(live_app, page, ada)
    page.goto(f"/e/{event_id}/people?tab=everyone")
    search = page.get_by_role("searchbox", name="Search people by name, headline, company or topic")
    expect(search).to_have_attribute("maxlength", "100")
    search.fill("x" * 101)
    expect(search).to_have_value("x" * 100)

    search.fill("navy")
    expect(page.get_by_text("1 person matches")).to_be_visible()
    search.fill("navy\u202e")
    message = page.locator("#people-q-error")
    expect(message).to_contain_text("bidirectional control character (U+202E at character 5)")
    expect(search).to_have_attribute("aria-invalid", "true")
    expect(search).to_have_attribute("aria-describedby", "people-q-error")
    expect(cards(page)).to_have_count(0)
    expect(page.get_by_text("1 person matches")).to_have_count(0)
    expect(page.get_by_text("Some fields need fixing")).to_have_count(0)
    both(page, "people-13-search-refused")

    search.fill("navy")
    expect(page.get_by_text("1 person matches")).to_be_visible()
    assert names_shown(page) == ["Grace Hopper"]
    expect(message).to_have_count(0)
    expect(search).not_to_have_attribute("aria-invalid", "true")

    # Too long, from an address edited by hand: what to type instead.
    page.goto(f"/e/{event_id}/people?tab=everyone&q={'a' * 101}")
    expect(page.locator("#people-q-error")).to_have_text(
        "Search with up to 100 characters: a name, a company, a headline or a topic."
    )
    expect(cards(page)).to_have_count(0)

    # A topic filter too long, the same way: the filters open to show why.
    page.goto(f"/e/{event_id}/people?tab=everyone&topic={'k' * 41}")
    topic = page.get_by_role("combobox", name="Cares about")
    expect(topic).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#filter-topic-error")).to_have_text("Type one topic, up to 40 characters.")
    expect(page.get_by_role("button", name=re.compile("^Filters"))).to_have_attribute("aria-expanded", "true")
    expect(cards(page)).to_have_count(0)


def test_an_unknown_event_says_so_once(live_app, launch, both):
    """No event at the address, or a draft only its organizers see: one clear state, no tabs, no listing banner
    (Nora is not listed, so the banner would show on an event that is there)."""
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Open Evening")
    draft = live_app.event(organizer["token"], title="Secret Draft", status="draft")
    nora = live_app.register(event["id"], "Nora Notlisted", directory_opt_in=False)
    page = launch()
    sign_in(live_app, page, nora)
    page.goto(f"/e/{event['id']}/people")
    expect(page.get_by_test_id("not-listed")).to_be_visible()  # the banner, where it belongs

    for event_id in (999999, draft["id"]):
        page.goto(f"/e/{event_id}/people")
        expect(page.get_by_role("heading", name="Event not available")).to_be_visible()
        expect(page.get_by_test_id("no-such-event")).to_contain_text("There is no event at this address")
        expect(page.get_by_role("tab")).to_have_count(0)
        expect(page.get_by_test_id("not-listed")).to_have_count(0)
        expect(page.get_by_text("Not found.")).to_have_count(0)
    both(page, "people-14-no-such-event")

    page.goto("/e/abc/people")
    expect(page.get_by_role("heading", name="Event not available")).to_be_visible()
    expect(page.get_by_role("tab")).to_have_count(0)
