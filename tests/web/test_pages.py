"""The web app's addresses as Flask serves them: app routes, a browser's "Page not found", API clients'
problem details, and the hashed build files precompressed and cached for a year."""

import gzip

import pytest

from netevents.web.routes import IMMUTABLE

INDEX = '<!doctype html><div id="app"></div><script src="/static/assets/index-abc123.js"></script>'
SCRIPT = "console.log('netevents');\n" * 200
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture
def built_app(app, tmp_path):
    """A stand-in build: index.html, one hashed script with its gzip copy, one without."""
    (tmp_path / "index.html").write_text(INDEX)
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "index-abc123.js").write_text(SCRIPT)
    (assets / "index-abc123.js.gz").write_bytes(gzip.compress(SCRIPT.encode()))
    (assets / "plain-def456.css").write_text("body { color: black; }")
    app.config["FRONTEND_DIST"] = tmp_path
    return app


@pytest.mark.parametrize("path", ["/events/nope", "/e/not-a-number", "/whatever/deep/path"])
def test_a_browser_gets_the_apps_not_found_page(client, built_app, path):
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert response.get_data(as_text=True) == INDEX  # the router shows "Page not found"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/events/nope", "application/json"),
        ("/events/nope", "*/*"),  # curl, scripts
        ("/events/nope", None),
        ("/api/v1/nope", BROWSER),  # an API address opened in a browser is still the API
        ("/static/assets/missing-123.js", BROWSER),
    ],
)
def test_api_clients_keep_problem_details(client, built_app, path, accept):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["reason"] == "not_found"


def test_a_post_to_nowhere_is_problem_details(client, built_app):
    response = client.post("/events/nope", headers={"Accept": BROWSER})
    assert response.status_code in (404, 405)
    assert response.mimetype == "application/problem+json"


def test_hashed_files_go_out_precompressed_and_immutable(client, built_app):
    response = client.get("/static/assets/index-abc123.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.mimetype == "text/javascript"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert gzip.decompress(response.get_data()).decode() == SCRIPT

    plain = client.get("/static/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.get_data(as_text=True) == SCRIPT
    assert plain.headers["Cache-Control"] == IMMUTABLE

    no_copy = client.get("/static/assets/plain-def456.css", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in no_copy.headers
    assert no_copy.mimetype == "text/css"


def test_only_hashed_files_are_cached_for_a_year(client, built_app):
    assert client.get("/", headers={"Accept": BROWSER}).headers["Cache-Control"] == "no-cache"
    assert client.get("/static/index.html").headers.get("Cache-Control", "") != IMMUTABLE


def test_no_path_escapes_the_assets_folder(client, built_app):
    assert client.get("/static/assets/..%2findex.html").status_code == 404


def test_the_favicon_is_served(client, built_app):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/static/favicon.svg")
