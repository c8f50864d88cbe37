"""Reading a scanned QR: the badge secret in a badge URL of this site, or a bare secret."""

import re
from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app

_SECRET = re.compile(r"[A-Za-z0-9_-]{16,64}")
_BADGE_PATH = re.compile(r"/b/([A-Za-z0-9_-]{16,64})/?")


@lru_cache(maxsize=8)
def _host_of(base_url: str) -> str:
    return urlsplit(base_url).netloc.lower()


def badge_secret_from_qr(text: str) -> str | None:
    """The badge secret in a scanned QR text, or None if it names no badge of this site."""
    text = text.strip()
    if _SECRET.fullmatch(text):
        return text
    try:
        url = urlsplit(text)
    except ValueError:
        return None
    if url.scheme not in ("http", "https") or url.netloc.lower() != _host_of(current_app.config["BASE_URL"]):
        return None
    match = _BADGE_PATH.fullmatch(url.path)
    return match.group(1) if match else None
