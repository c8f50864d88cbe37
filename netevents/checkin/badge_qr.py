"""Reading a scanned QR: the badge secret in a badge URL (or a bare secret), and the same for a venue poster.

The secret is the credential, not the address around it: a badge printed when the site had another public
address (NETEVENTS_BASE_URL changed, a sub-path added, http moved to https) still reads at the door. So any
http(s) URL whose path ends in /b/<secret> names that badge, and one ending in /p/<secret> that poster.
"""

import re
from urllib.parse import urlsplit

_SECRET = re.compile(r"[A-Za-z0-9_-]{16,64}")
#: /b/<secret> (a badge) or /p/<secret> (a poster), after any prefix path of a deployment below the site's root.
_BADGE_PATH = re.compile(r"(?:/[^/]*)*/b/([A-Za-z0-9_-]{16,64})/?")
_POSTER_PATH = re.compile(r"(?:/[^/]*)*/p/([A-Za-z0-9_-]{16,64})/?")


def badge_secret_from_qr(text: str) -> str | None:
    """The badge secret in a scanned QR text, or None if it names no badge."""
    return _secret_from_qr(text, _BADGE_PATH)


def poster_secret_from_qr(text: str) -> str | None:
    """The poster secret in a scanned QR text (the poster's URL, or the bare secret), or None if it names none."""
    return _secret_from_qr(text, _POSTER_PATH)


def _secret_from_qr(text: str, path: re.Pattern[str]) -> str | None:
    text = text.strip()
    if _SECRET.fullmatch(text):
        return text
    try:
        url = urlsplit(text)
    except ValueError:
        return None
    if url.scheme.lower() not in ("http", "https") or not url.netloc:
        return None
    match = path.fullmatch(url.path)
    return match.group(1) if match else None
