import io
import xml.etree.ElementTree as ET

import zxingcpp
from PIL import Image

from netevents.badges.services import render_badge_qr
from netevents.extensions import db
from tests.checkin.conftest import Door


def decode_png(data: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def test_the_badge_png_decodes_to_the_badge_page_url(client, make):
    event = make.event()
    ada = make.registration(event, name="Ada")
    response = client.get(f"/api/v1/registrations/{ada.id}/badge.png", headers=make.token(ada.user))
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert decode_png(response.data) == [f"http://testserver/b/{ada.badge_secret}"]


def test_the_badge_svg_is_an_svg_image(client, make):
    event = make.event()
    ada = make.registration(event)
    response = client.get(f"/api/v1/registrations/{ada.id}/badge.svg", headers=make.token(event.owner))
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)
    assert root.tag.endswith("svg") and root.find(".//{http://www.w3.org/2000/svg}path") is not None


def test_badge_images_are_cached_with_an_etag_and_rendered_once(client, make):
    event = make.event()
    ada = make.registration(event)
    headers = make.token(ada.user)
    render_badge_qr.cache_clear()
    first = client.get(f"/api/v1/registrations/{ada.id}/badge.png", headers=headers)
    again = client.get(f"/api/v1/registrations/{ada.id}/badge.png", headers=headers)
    assert again.data == first.data
    assert render_badge_qr.cache_info().misses == 1 and render_badge_qr.cache_info().hits == 1
    etag = first.headers["ETag"]
    not_modified = client.get(f"/api/v1/registrations/{ada.id}/badge.png", headers={**headers, "If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""


def test_only_the_owner_and_organizers_get_the_badge_image(client, make):
    event = make.event()
    ada = make.registration(event)
    stranger = make.token(make.user())
    for suffix in ("svg", "png"):
        assert client.get(f"/api/v1/registrations/{ada.id}/badge.{suffix}", headers=stranger).status_code == 404
        assert client.get(f"/api/v1/registrations/{ada.id}/badge.{suffix}").status_code == 401


def test_rotating_a_lost_badge_invalidates_the_old_qr(client, make):
    from datetime import timedelta

    from netevents.db import utcnow

    start = utcnow().replace(microsecond=0) - timedelta(minutes=10)
    event = make.event(starts_at=start, ends_at=start + timedelta(hours=2))
    ada = make.registration(event)
    old_url = f"http://testserver/b/{ada.badge_secret}"
    old_etag = client.get(f"/api/v1/registrations/{ada.id}/badge.png", headers=make.token(ada.user)).headers["ETag"]
    rotated = client.post(f"/api/v1/registrations/{ada.id}/badge/rotate", headers=make.token(ada.user))
    assert rotated.status_code == 200 and rotated.json["badge_url"] != old_url
    door = Door(client, event)
    assert door.scan(old_url).json["reason"] == "badge_replaced"  # refused, and told apart from a stranger's QR
    new_secret = rotated.json["badge_url"].rsplit("/", 1)[1]
    assert door.scan(new_secret).json["result"] == "accepted"
    new_png = client.get(f"/api/v1/registrations/{ada.id}/badge.png", headers=make.token(ada.user))
    assert new_png.headers["ETag"] != old_etag
    assert decode_png(new_png.data) == [f"http://testserver/b/{new_secret}"]
    assert client.get(f"/api/v1/badges/{old_url.rsplit('/', 1)[1]}").status_code == 404


#: All the public card behind a badge's QR code says: what is printed on the badge, and the event it is for.
PUBLIC_CARD_FIELDS = {"name", "headline", "company", "event", "status", "qr_svg_url"}


def test_the_public_card_gives_only_what_the_printed_badge_shows(client, make):
    """Anyone may hold a badge's QR code (a photo of it, a lost badge), not only people at the event: its card
    carries no detail shared with "everyone at my events" or "people I meet", whatever the choice."""
    event = make.event()
    ada = make.registration(event, name="Ada", email="ada@example.org", headline="Staff engineer")
    changed = client.patch(
        "/api/v1/me",
        headers=make.token(ada.user),
        json={
            "phone": "+44 20 7946 0000",
            "links": [{"label": "Blog", "url": "https://ada.example"}],
            "topics": ["compilers"],
            "directory_opt_in": True,
            "sharing": dict.fromkeys(("email", "phone", "links", "headline", "company"), "everyone"),
        },
    )
    assert changed.status_code == 200, changed.json
    card = client.get(f"/api/v1/badges/{ada.badge_secret}")
    assert card.status_code == 200
    assert set(card.json) == PUBLIC_CARD_FIELDS
    assert card.json["name"] == "Ada" and card.json["headline"] == "Staff engineer"
    body = card.get_data(as_text=True)
    for private in ("ada@example.org", "7946", "ada.example", "compilers"):
        assert private not in body, private
    qr = client.get(card.json["qr_svg_url"])
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"


def test_badges_print_the_profile_as_it_is_now_and_the_registration_only_where_it_has_none(client, make):
    """The sheet, the public card (and so My badge, which shows it) agree: the headline and company of the
    person's profile, which they edit; what the registration typed only where the profile has none."""
    event = make.event()
    ada = make.registration(event, name="Ada", headline="Typed at registration", company="Old Works")
    ada.user.headline, ada.user.company = "", ""
    db.session.commit()
    sheet_path = f"/api/v1/events/{event.id}/badges/sheet.html"
    card_path = f"/api/v1/badges/{ada.badge_secret}"
    assert "Typed at registration · Old Works" in client.get(sheet_path, headers=make.token(event.owner)).text
    assert (
        client.patch(
            "/api/v1/me", headers=make.token(ada.user), json={"headline": "Principal engineer", "company": "Engines"}
        ).status_code
        == 200
    )
    sheet = client.get(sheet_path, headers=make.token(event.owner)).text
    assert "Principal engineer · Engines" in sheet and "Typed at registration" not in sheet
    card = client.get(card_path).json
    assert (card["headline"], card["company"]) == ("Principal engineer", "Engines")


def test_printable_badge_sheet_lists_confirmed_attendees_with_their_qr(client, make):
    event = make.event(capacity=2)
    make.registration(event, name="Ada <script>")
    make.registration(event, name="Bob")
    make.registration(event, name="Wendy Waitlisted")
    sheet = client.get(f"/api/v1/events/{event.id}/badges/sheet.html", headers=make.token(event.owner))
    assert sheet.status_code == 200 and sheet.mimetype == "text/html"
    html = sheet.get_data(as_text=True)
    assert html.count('class="badge"') == 2 and "Wendy" not in html
    assert "Ada &lt;script&gt;" in html and "<script>" not in html
    assert "@page" in html and html.count("<svg") == 2
    assert (
        client.get(f"/api/v1/events/{event.id}/badges/sheet.html", headers=make.token(make.user())).status_code == 403
    )


def test_badges_show_only_the_headline_and_company_their_holder_shares_with_everyone(client, make):
    event = make.event()
    ada = make.registration(event, name="Ada", headline="Staff engineer", company="Analytical Engines")
    bob = make.registration(event, name="Bob", headline="Crane operator", company="Cranes")
    sheet_path = f"/api/v1/events/{event.id}/badges/sheet.html"
    before = client.get(sheet_path, headers=make.token(event.owner)).get_data(as_text=True)
    assert "Staff engineer · Analytical Engines" in before  # shared with everyone until she says otherwise

    changed = client.patch(
        "/api/v1/me", headers=make.token(ada.user), json={"sharing": {"headline": "connections", "company": "nobody"}}
    )
    assert changed.status_code == 200, changed.json

    sheet = client.get(sheet_path, headers=make.token(event.owner)).get_data(as_text=True)
    assert "Ada" in sheet and "Staff engineer" not in sheet and "Analytical" not in sheet
    assert "Crane operator · Cranes" in sheet  # Bob still shares both
    card = client.get(f"/api/v1/badges/{ada.badge_secret}").json
    assert (card["headline"], card["company"]) == (None, None)
    assert client.get(f"/api/v1/badges/{bob.badge_secret}").json["company"] == "Cranes"
