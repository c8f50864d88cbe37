"""Headers every answer gets: no content sniffing and no referrer anywhere, a strict same-origin
Content-Security-Policy on every HTML page, and no body headers on a 204.

The app loads nothing from another origin: its scripts, styles and the API docs' files are served from
/static. Pages of its own with inline `<style>` (the join page, the printable badge sheet, the pages that email
links open: unsubscribe and "followed up") get those styles' SHA-256 in `style-src`; the API docs' page carries
its start-up script under a per-answer nonce.
"""

import base64
import hashlib
import re
import secrets

from flask import Flask, Response, request

#: Templates whose inline <style> blocks the policy allows by hash. The badge sheet is opened by the web app
#: as a blob: document, which inherits the app's policy: its style is allowed on every page.
INLINE_STYLE_TEMPLATES = ("join.html", "badge_sheet.html", "email_link.html")

_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # QR codes are drawn as data: images; downloads go through blob: URLs.
    "img-src": ["'self'", "data:", "blob:"],
    # The door's camera plays into a <video> (a MediaStream, which some browsers hand over as a blob: URL).
    "media-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def _style_hashes(app: Flask) -> list[str]:
    hashes = []
    for name in INLINE_STYLE_TEMPLATES:
        source = app.jinja_env.loader.get_source(app.jinja_env, name)[0]
        for style in re.findall(r"<style>(.*?)</style>", source, flags=re.DOTALL):
            digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return hashes


_NONCE_KEY = "netevents.csp_nonce"


def csp_nonce() -> str:
    """A nonce for an inline script of this answer's page (templates call it); the policy then allows it."""
    return request.environ.setdefault(_NONCE_KEY, secrets.token_urlsafe(16))


def content_security_policy(style_hashes: list[str], script_nonce: str | None = None) -> str:
    policy = {**_POLICY, "style-src": _POLICY["style-src"] + style_hashes}
    if script_nonce:
        policy["script-src"] = [*_POLICY["script-src"], f"'nonce-{script_nonce}'"]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


def init_headers(app: Flask) -> None:
    style_hashes = _style_hashes(app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers["X-Content-Type-Options"] = "nosniff"
        # Badge pages and join links carry their secret in the URL: never send it on as a Referer.
        headers["Referrer-Policy"] = "no-referrer"
        if response.mimetype == "text/html":
            headers["Content-Security-Policy"] = content_security_policy(style_hashes, request.environ.get(_NONCE_KEY))
            headers["X-Frame-Options"] = "DENY"  # frame-ancestors for browsers that predate it
        if response.status_code == 204:
            # No content: no content type or length either (RFC 9110 8.6, 15.3.5).
            response.data = b""
            headers.pop("Content-Type", None)
            headers.pop("Content-Length", None)
        return response
