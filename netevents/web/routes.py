"""The web app's pages: the built frontend, with every app route answering its index.html."""

from flask import Blueprint, current_app, send_from_directory
from werkzeug.exceptions import NotFound

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
    "/b/<secret>",
)


def _index(**_kwargs):
    dist = current_app.config["FRONTEND_DIST"]
    if not (dist / "index.html").exists():
        raise NotFound("The web app is not built; run `make run` (it builds frontend/).")
    response = send_from_directory(dist, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    return response


for number, rule in enumerate(APP_ROUTES):
    bp.add_url_rule(rule, endpoint=f"app_page_{number}", view_func=_index)


@bp.route("/sw.js")
def service_worker():
    response = send_from_directory(current_app.config["FRONTEND_DIST"], "sw.js")
    response.headers["Cache-Control"] = "no-cache"
    return response
