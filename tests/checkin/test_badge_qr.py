"""A printed badge stays readable when the site's public address changes: the secret is what names the badge."""

import pytest

from netevents.checkin.badge_qr import badge_secret_from_qr
from tests.checkin.conftest import badge

SECRET = "Zr7yJ0m4kQ2x9VbN1sTq3wLd"


@pytest.mark.parametrize(
    "qr",
    [
        SECRET,
        f"  {SECRET}\n",
        f"http://testserver/b/{SECRET}",
        f"https://events.example.org/b/{SECRET}",  # the address the badge was printed with, since changed
        f"HTTPS://OLD-ADDRESS.example.org:8443/b/{SECRET}/",
        f"https://example.org/netevents/b/{SECRET}",  # a deployment below the site's root
        f"https://events.example.org/b/{SECRET}?utm_source=badge#top",
    ],
)
def test_any_badge_url_whose_path_ends_in_the_secret_names_it(qr):
    assert badge_secret_from_qr(qr) == SECRET


@pytest.mark.parametrize(
    "qr",
    [
        f"ftp://events.example.org/b/{SECRET}",
        f"javascript:/b/{SECRET}",
        f"/b/{SECRET}",
        f"https:///b/{SECRET}",
        f"https://events.example.org/b/{SECRET}/extra",
        f"https://events.example.org/e/{SECRET}",
        "https://events.example.org/b/short",
        "http://[::1/b/" + SECRET,
    ],
)
def test_other_texts_name_no_badge(qr):
    assert badge_secret_from_qr(qr) is None


def test_a_badge_printed_under_an_earlier_address_checks_in(door, make):
    ada = make.registration(door.event, name="Ada")
    printed = badge(ada).replace("http://testserver", "https://old-events.example.org")
    assert door.scan(printed).json["result"] == "accepted"
