"""The web app's pages: the built frontend, with every app route answering its index.html; any other
address a browser opens answers the app's own "Page not found" screen (API clients keep problem details);
hashed build files go out precompressed and cached for a year."""

import mimetypes
from pathlib import Path

from flask import Blueprint, current_app, redirect, request, send_from_directory
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.security import safe_join

from netevents.errors import handle_http_exception

bp = Blueprint("web", __name__)

# Paths the web app routes on the client side (PRODUCT.md, "Web").
APP_ROUTES = (
    "/",
    "/signin",
    "/me",
    "/me/<path:rest>",
    "/scan",
    "/door",
    "/organize",
    "/organize/<path:rest>",
    "/e/<int:event_id>",
    "/e/<int:event_id>/<path:rest>",
    "/b/<secret>",
    "/p/<secret>",
)

#: Addresses that belong to machines: a miss there is answered as problem details, whatever the Accept.
MACHINE_PREFIXES = ("/api/", "/static/", "/healthz", "/readyz", "/sw.js", "/favicon.ico")

#: Vite names every file under assets/ after its content, so a name is never reused for other bytes.
IMMUTABLE = "public, max-age=31536000, immutable"

#: Precompressed siblings written at build time (frontend/scripts/compress.mjs), best first.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def _dist() -> Path:
    return Path(current_app.config["FRONTEND_DIST"])


def _index(status: int = 200):
    dist = _dist()
    if not (dist / "index.html").exists():
        raise NotFound("The web app is not built; run `make run` (it builds frontend/).")
    response = send_from_directory(dist, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    response.status_code = status
    return response


def _app_page(**_kwargs):
    return _index()


for number, rule in enumerate(APP_ROUTES):
    bp.add_url_rule(rule, endpoint=f"app_page_{number}", view_func=_app_page)


def _wants_a_page() -> bool:
    """A browser opening an address (Accept: text/html first), not a script asking for data."""
    if request.path.startswith(MACHINE_PREFIXES) or request.method not in ("GET", "HEAD"):
        return False
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


@bp.app_errorhandler(404)
def not_found(error: HTTPException):
    """A browser gets the web app, whose router shows "Page not found" (with a 404 status); everyone else
    the usual problem details."""
    if _wants_a_page() and (_dist() / "index.html").exists():
        return _index(status=404)
    return handle_http_exception(error)


@bp.route("/static/assets/<path:filename>")
def asset(filename: str):
    """A hashed build file: its precompressed copy when the browser takes one, cached for a year."""
    directory = _dist() / "assets"
    if safe_join(str(directory), filename) is None:
        raise NotFound()
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    accepted = request.accept_encodings
    for encoding, suffix in ENCODINGS:
        if accepted[encoding] and (directory / f"{filename}{suffix}").is_file():
            response = send_from_directory(directory, f"{filename}{suffix}", mimetype=mimetype)
            response.headers["Content-Encoding"] = encoding
            break
    else:
        response = send_from_directory(directory, filename, mimetype=mimetype)
    response.headers["Cache-Control"] = IMMUTABLE
    response.vary.add("Accept-Encoding")
    return response


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask here before reading the page's <link rel="icon">; the icon itself is an SVG."""
    return redirect("/static/favicon.svg", code=301)


@bp.route("/sw.js")
def service_worker():
    response = send_from_directory(current_app.config["FRONTEND_DIST"], "sw.js")
    response.headers["Cache-Control"] = "no-cache"
    return response
