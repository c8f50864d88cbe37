"""Each class of hostile input that once reached a 500 (issue 11), refused at its cause: the one JSON parser with
limits (netevents/bodies.py), the bounded id, integer and datetime types and the text types that refuse control
characters (netevents/schemas.py), the path converters (netevents/paths.py) and the CSV import. Every refusal
is a 4xx problem that changes nothing; these run on SQLite and PostgreSQL alike.

tests/api/test_hostile_input.py sends such values to every operation; this file pins each class down by name.
"""

import json
from datetime import timedelta

import marshmallow as ma
import pytest

from netevents.bodies import MAX_DEPTH, MAX_NUMBER_LENGTH, BodyError, parse_json
from netevents.db import utcnow
from netevents.events.models import Event
from netevents.extensions import db
from netevents.schemas import MAX_ID, Boolean, StrictSchema
from tests.api.test_conventions import assert_problem, database_snapshot, event_json
from tests.mail.reading import recipient


@pytest.fixture
def world(client, make):
    organizer = make.user(name="Olivia Organizer")
    soon = utcnow().replace(microsecond=0) + timedelta(minutes=30)
    event = make.event(organizer, capacity=5, starts_at=soon, ends_at=soon + timedelta(hours=2))
    registration = make.registration(event, email="ada@example.org")
    return {
        "headers": make.token(organizer),
        "event_id": event.id,
        "registration_id": registration.id,
        "secret": registration.badge_secret,
    }


def post_raw(client, world, path: str, data: bytes | str, content_type: str | None = "application/json"):
    headers = dict(world["headers"])
    if content_type is not None:
        headers["Content-Type"] = content_type
    return client.post(path.format(**world), data=data, headers=headers)


# --- the JSON parser ----------------------------------------------------------------------------------------


def test_the_parser_takes_nesting_up_to_its_limit_and_no_deeper():
    assert parse_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(BodyError) as caught:
        parse_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert (caught.value.status, caught.value.reason) == (400, "body_too_deep")
    with pytest.raises(BodyError):  # past Python's own recursion limit
        parse_json("[" * 1_000_000)


def test_the_parser_names_where_a_refused_value_is():
    with pytest.raises(BodyError) as caught:
        parse_json('{"scans": [{"nonce": "ok"}, {"nonce": "a\\u0000b"}]}')
    assert (caught.value.status, caught.value.field) == (422, "scans.1.nonce")
    with pytest.raises(BodyError) as caught:
        parse_json('{"a": {"\\ud800": 1}}')
    assert caught.value.field.startswith("a.")
    with pytest.raises(BodyError) as caught:
        parse_json('{"n": ' + "9" * (MAX_NUMBER_LENGTH + 1) + "}")
    assert caught.value.field == "n"
    assert parse_json('{"n": ' + "9" * MAX_NUMBER_LENGTH + "}") == {"n": int("9" * MAX_NUMBER_LENGTH)}
    assert parse_json('{"emoji": "\\ud83d\\ude00"}') == {"emoji": "\U0001f600"}  # a pair is a character


def test_the_parser_refuses_a_key_twice_in_one_object_naming_it():
    for text_, key in [
        ('{"role": "attendee", "role": "organizer"}', "role"),
        ('{"scans": [{"nonce": "a", "qr": "x", "nonce": "b"}]}', "nonce"),
        ('{"\\u00e9": 1, "\\u00e9": 2}', "\\xe9"),
    ]:
        with pytest.raises(BodyError) as caught:
            parse_json(text_)
        assert (caught.value.status, caught.value.reason, caught.value.field) == (400, "duplicate_key", key)
        assert f"'{key}' appears twice" in caught.value.message
    # The same key in two objects is no repeat.
    assert parse_json('{"a": {"n": 1}, "b": {"n": 2}}') == {"a": {"n": 1}, "b": {"n": 2}}


@pytest.mark.parametrize(
    ("payload", "status", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, 400, "body_too_deep"),
        ('{"a":' * 10_000 + "1" + "}" * 10_000, 400, "body_too_deep"),
        ('{"capacity": 1' + "0" * 5000 + "}", 422, "invalid_input"),
        ('{"capacity": 1e999}', 422, "invalid_input"),
        ('{"capacity": NaN}', 400, "malformed_json"),
        ('{"capacity": -Infinity}', 400, "malformed_json"),
        ('{"title": "\\ud800"}', 422, "invalid_input"),
        ('{"title": "a\\u0000b"}', 422, "invalid_input"),
        ('{"\\udfff": 1}', 422, "invalid_input"),
        (b"\xff\xfe{}", 400, "malformed_json"),
    ],
)
def test_hostile_json_is_refused_before_any_field_is_read(client, world, payload, status, reason):
    before = database_snapshot()
    body = assert_problem(post_raw(client, world, "/api/v1/events", payload), status, reason)
    if status == 422:
        assert body["errors"] and "_schema" not in body["errors"], body
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("data", "content_type", "status", "reason"),
    [
        ("", "application/json", 400, "empty_body"),
        ("", None, 400, "empty_body"),
        ("   ", "application/json", 400, "malformed_json"),
        ("hello", "text/plain", 415, "unsupported_media_type"),
        (json.dumps(event_json()), "text/plain", 415, "unsupported_media_type"),
        ("name=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ("[1, 2]", "application/json", 422, "invalid_input"),
        ("null", "application/json", 422, "invalid_input"),
    ],
)
def test_an_empty_or_non_json_body_is_400_or_415_not_a_field_error(client, world, data, content_type, status, reason):
    before = database_snapshot()
    body = assert_problem(post_raw(client, world, "/api/v1/events", data, content_type), status, reason)
    assert "errors" not in body  # not "title: missing data"
    assert database_snapshot() == before


def test_json_with_a_charset_or_a_json_suffix_is_json(client, world):
    response = post_raw(client, world, "/api/v1/events", json.dumps(event_json()), "application/json; charset=utf-8")
    assert response.status_code == 201, response.json


# --- integers and ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [2**31, 2**63, 2**64, -1, 0, "1", 1.0, 1.5, True, "", None], ids=lambda value: repr(value)[:20]
)
def test_an_integer_field_takes_json_integers_in_range_only(client, world, value):
    before = database_snapshot()
    response = client.post(
        "/api/v1/checkins",
        headers=world["headers"],
        json={"registration_id": value, "nonce": "n-1", "event_id": world["event_id"]},
    )
    assert_problem(response, 422, "invalid_input", "registration_id")
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/events/{}"),
        ("PATCH", "/api/v1/events/{}"),
        ("DELETE", "/api/v1/events/{}"),
        ("GET", "/api/v1/registrations/{}"),
        ("PATCH", "/api/v1/registrations/{}"),
        ("POST", "/api/v1/registrations/{}/cancel"),
        ("POST", "/api/v1/checkins/{}/undo"),
        ("DELETE", "/api/v1/me/connections/{}"),
    ],
)
def test_a_path_id_outside_the_database_range_is_404_for_every_method(client, world, method, path):
    before = database_snapshot()
    for value in (str(2**31), str(2**63), str(2**64), "1" * 4000, "0", "-1", "\u0661", "1.0", "01"):
        response = client.open(path.format(value), method=method, headers=world["headers"], json={})
        assert_problem(response, 404, "not_found")
    # Longer than any URL may be (netevents.paths.MAX_URL_LENGTH): refused as such, before routing.
    response = client.open(path.format("1" * 5000), method=method, headers=world["headers"], json={})
    assert_problem(response, 414, "url_too_long")
    assert database_snapshot() == before


def test_path_ids_are_documented_with_their_bounds(client):
    document = client.get("/api/v1/openapi.json").json
    schema = next(p["schema"] for p in document["paths"]["/api/v1/events/{event_id}"]["parameters"])
    assert schema == {"type": "integer", "minimum": 1, "maximum": MAX_ID}


@pytest.mark.parametrize("query", ["station_id=" + "9" * 30, "station_id=1.5", "station_id=%00", "per_page=1e2"])
def test_a_query_integer_is_digits_in_range(client, world, query):
    response = client.get(f"/api/v1/events/{world['event_id']}/checkins?{query}", headers=world["headers"])
    assert_problem(response, 422, "invalid_input", query.split("=")[0])


def test_a_path_secret_with_a_control_character_is_404_on_every_backend(client, world):
    for secret in ("%00", "a%0Ab", world["secret"] + "%00"):
        assert_problem(client.get(f"/api/v1/badges/{secret}"), 404, "not_found")


# --- datetimes ----------------------------------------------------------------------------------------------

EDGE_TIMES = [
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00+14:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999+00:00",
    "2026-01-01T10:00:00\u0000Z",
]


@pytest.mark.parametrize("value", EDGE_TIMES)
def test_an_edge_of_range_time_is_a_field_error_everywhere(client, world, value):
    before = database_snapshot()
    scan = {"registration_id": world["registration_id"], "nonce": "t-1", "event_id": world["event_id"]}
    response = client.post("/api/v1/checkins", headers=world["headers"], json={**scan, "scanned_at": value})
    assert_problem(response, 422, "invalid_input", "scanned_at")
    batch = {"scans": [{**scan, "nonce": "t-2"}, {**scan, "nonce": "t-3", "scanned_at": value}]}
    response = client.post("/api/v1/checkins/batch", headers=world["headers"], json=batch)
    assert_problem(response, 422, "invalid_input", "scans.1.scanned_at")  # the item, not a 500 for the batch
    response = client.patch(f"/api/v1/events/{world['event_id']}", headers=world["headers"], json={"ends_at": value})
    assert_problem(response, 422, "invalid_input", "ends_at")
    response = client.get("/api/v1/events", query_string={"starts_after": value})
    assert_problem(response, 422, "invalid_input", "starts_after")
    assert database_snapshot() == before


# --- text ---------------------------------------------------------------------------------------------------

CONTROL = ["a\nb", "a\rb", "a\r\nBcc: victim@example.org", "a\x00b", "a\tb", "a\x1bb", "a\x7fb", "a\x85b", "a\u2028b"]
#: Bidirectional embeddings, overrides and isolates: "Ada\u202efdp.exe" shows as "Adaexe.pdf".
BIDI = [
    "a\u202ab",
    "a\u202bb",
    "a\u202cb",
    "a\u202db",
    "Ada\u202efdp.exe",
    "a\u2066b",
    "a\u2067b",
    "a\u2068b",
    "a\u2069b",
]
CONTROL += BIDI


@pytest.mark.parametrize(
    ("method", "path", "field", "body"),
    [
        ("PATCH", "/api/v1/events/{event_id}", "title", {}),
        ("PATCH", "/api/v1/events/{event_id}", "venue", {}),
        ("POST", "/api/v1/events/{event_id}/registrations", "name", {"email": "new@example.org"}),
        ("POST", "/api/v1/events/{event_id}/registrations", "headline", {"email": "new@example.org", "name": "N"}),
        ("POST", "/api/v1/events/{event_id}/registrations", "company", {"email": "new@example.org", "name": "N"}),
        ("PATCH", "/api/v1/registrations/{registration_id}", "name", {}),
        ("PATCH", "/api/v1/me", "name", {}),
        ("PATCH", "/api/v1/me", "links", None),
        ("POST", "/api/v1/events/{event_id}/stations", "name", {}),
        ("POST", "/api/v1/checkins", "nonce", {"registration_id": 1, "event_id": 1}),
        ("POST", "/api/v1/events/{event_id}/organizers", "email", {}),
        ("POST", "/api/v1/auth/signup", "email", {"password": "long enough pw", "name": "N"}),
        ("POST", "/api/v1/auth/signup", "name", {"password": "long enough pw", "email": "n@example.org"}),
    ],
)
def test_a_single_line_field_refuses_control_characters_naming_the_field(client, world, method, path, field, body):
    before = database_snapshot()
    for value in CONTROL:
        if body is None:  # a nested field: the link's label
            data, named = {field: [{"label": value, "url": "https://example.org"}]}, f"{field}.0.label"
        else:
            text = value.replace("a", "ada@", 1) + "example.org" if field == "email" else value
            data, named = {**body, field: text}, field
        response = client.open(path.format(**world), method=method, headers=world["headers"], json=data)
        problem = assert_problem(response, 422, "invalid_input", named)
        assert "control character" in problem["errors"][named][0] or "NUL" in problem["errors"][named][0], value
    assert database_snapshot() == before


@pytest.mark.parametrize("email", ['"\x01"@example.org', '"a\\\x7f"@example.org', "a@example.org\n"])
def test_an_email_address_with_a_control_character_is_refused(client, world, email):
    response = client.post(
        f"/api/v1/events/{world['event_id']}/organizers", headers=world["headers"], json={"email": email}
    )
    assert_problem(response, 422, "invalid_input", "email")


def test_one_line_text_keeps_zero_width_joiners_emoji_and_right_to_left_writing(client, world):
    for name in (
        "Ada \U0001f469\u200d\U0001f4bb",  # a joiner inside an emoji sequence (woman technologist)
        "Ada \U0001f469\U0001f3fd\u200d\U0001f4bb \u2764\ufe0f\u200d\U0001f525",  # with a skin tone; with VS16
        "\U0001f1e9\U0001f1ea Jo\u00eblle",
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Ewan",  # a flag's tag sequence
        "\u05d3\u05e0\u05d4 Cohen",
        "\u0915\u094d\u200d\u0937",  # Devanagari: a half form asked for by a joiner
        "\u0634\u0627\u0647\u200c\u0645\u0631\u0627\u062f\u06cc",  # Persian: a non-joiner between two letters
        "\u674e\u5c0f\u9f8d",
        "\u0395\u03bb\u03ad\u03bd\u03b7 \u03a0\u03b1\u03c0\u03b1\u03b4\u03bf\u03c0\u03bf\u03cd\u03bb\u03bf\u03c5",
    ):
        response = client.patch("/api/v1/me", headers=world["headers"], json={"name": name})
        assert response.status_code == 200, (name, response.json)
        assert response.json["name"] == name


#: Invisible format characters (Unicode category Cf) in a name: two names that look alike would differ, and a
#: search for the one would not find the other. Joiners only join: beside a Latin letter, or at an end, nothing.
INVISIBLE = [
    ("A\u200bda", "U+200B", 2),
    ("\ufeffAda", "U+FEFF", 1),
    ("Ada\u200e", "U+200E", 4),
    ("\u05d3\u05e0\u05d4 \u200fCohen", "U+200F", 5),
    ("Ada\u2060Lovelace", "U+2060", 4),
    ("Ada Love\u00adlace", "U+00AD", 9),
    ("A\u200dda", "U+200D", 2),
    ("Ada\u200c", "U+200C", 4),
    ("\u200d\U0001f4bb", "U+200D", 1),
    ("\U0001f469\u200d\u200d\U0001f4bb", "U+200D", 2),
    ("Ewan \U000e0067\U000e0062", "U+E0067", 6),  # tag characters outside a flag
]
NAME_FIELDS = [
    ("PATCH", "/api/v1/me", "name", {}),
    ("POST", "/api/v1/events/{event_id}/registrations", "name", {"email": "new@example.org"}),
    ("PATCH", "/api/v1/registrations/{registration_id}", "name", {}),
    ("POST", "/api/v1/auth/signup", "name", {"password": "long enough pw", "email": "n@example.org"}),
    ("POST", "/api/v1/events/{event_id}/stations", "name", {}),
    ("PATCH", "/api/v1/events/{event_id}", "title", {}),
    ("PATCH", "/api/v1/me", "company", {}),
]


@pytest.mark.parametrize("method, path, field, body", NAME_FIELDS)
def test_an_invisible_character_in_a_name_is_refused_naming_the_field_and_the_character(
    client, world, method, path, field, body
):
    before = database_snapshot()
    for value, code, position in INVISIBLE:
        data = {**body, field: value}
        response = client.open(path.format(**world), method=method, headers=world["headers"], json=data)
        problem = assert_problem(response, 422, "invalid_input", field)
        message = problem["errors"][field][0]
        assert message.startswith(f"The {field} contains an invisible character ({code}"), (value, message)
        assert f"at character {position})" in message and "remove" in message, message
    assert database_snapshot() == before


#: Names and titles that show nothing: only spaces, format characters and the letters that look blank (the Hangul
#: fillers U+115F, U+1160, U+3164, U+FFA0; the Braille blank U+2800, a symbol).
BLANK = [
    "\u3164",
    "\u3164\u3164\u3164",
    "\u2800",
    "\u115f",
    "\u1160",
    "\u115f\u1160",
    "\uffa0",
    " \u3164 \u2800 ",
    "\u3000",
    "   ",
    "",
]
#: Every required one-line text a person reads as a name or a title.
DISPLAY_FIELDS = [
    *[entry for entry in NAME_FIELDS if entry[2] != "company"],
    ("POST", "/api/v1/events", "title", {"kind": "meetup", "starts_at": "2031-05-01T18:00:00+02:00"}),
    ("POST", "/api/v1/events/{event_id}/walk-ins", "name", {"email": "walker@example.org"}),
    ("POST", "/api/v1/events/{event_id}/posters", "name", {}),
]


@pytest.mark.parametrize("method, path, field, body", DISPLAY_FIELDS)
def test_a_name_or_title_without_a_visible_character_is_refused_saying_what_to_type(
    client, world, method, path, field, body
):
    before = database_snapshot()
    for value in BLANK:
        data = {**body, field: value}
        response = client.open(path.format(**world), method=method, headers=world["headers"], json=data)
        problem = assert_problem(response, 422, "invalid_input", field)
        message = problem["errors"][field][0]
        assert message.startswith(f"The {field} has no visible letter: type "), (value, message)
    assert database_snapshot() == before


#: A blank-looking letter inside a name that shows otherwise: "Ada\u3164Lovelace" reads as "Ada Lovelace" and is
#: another name. They have no use in a name or a title (a Korean name is written in syllables, 김민준).
FILLERS = [
    ("Ada\u3164Lovelace", "U+3164", 4),
    ("\u3164Ada", "U+3164", 1),
    ("Ada \uffa0", "U+FFA0", 5),
    ("\u115f\u1161Ada", "U+115F", 1),
    ("\u1100\u1160", "U+1160", 2),
    ("Ada\u2800Lovelace", "U+2800", 4),
]


@pytest.mark.parametrize("method, path, field, body", NAME_FIELDS)
def test_a_blank_looking_letter_inside_a_name_is_refused_naming_it(client, world, method, path, field, body):
    before = database_snapshot()
    for value, code, position in FILLERS:
        data = {**body, field: value}
        response = client.open(path.format(**world), method=method, headers=world["headers"], json=data)
        problem = assert_problem(response, 422, "invalid_input", field)
        message = problem["errors"][field][0]
        assert message.startswith(f"The {field} contains a blank-looking character ({code}"), (value, message)
        assert f"at character {position})" in message and "remove" in message, message
    assert database_snapshot() == before


NAMES_IN_EVERY_SCRIPT = [
    "\uae40\ubbfc\uc900",  # Korean, in syllables
    "\u1100\u1161\u11a8 \ubbfc",  # Korean, a syllable in conjoining jamo (NFD) beside a precomposed one
    "\u674e\u5c0f\u9f8d",
    "\u5c71\u7530 \u82b1\u5b50",
    "\u0645\u062d\u0645\u062f \u0627\u0644\u0639\u0644\u064a",
    "\u0915\u094d\u200d\u0937\u093f\u0924\u093f\u091c",  # Devanagari with a joiner
    "\u0e2a\u0e21\u0e0a\u0e32\u0e22",  # Thai
    "\U0001f469\u200d\U0001f4bb",  # an emoji on its own
    "Zo\u00eb \u00d8stergaard-N\u00fa\u00f1ez",
]


def test_names_in_any_script_and_emoji_are_taken_at_registration_and_in_the_profile(client, world):
    for number, name in enumerate(NAMES_IN_EVERY_SCRIPT):
        response = client.patch("/api/v1/me", headers=world["headers"], json={"name": name})
        assert response.status_code == 200, (name, response.json)
        assert response.json["name"] == name
        response = client.post(
            f"/api/v1/events/{world['event_id']}/registrations",
            headers=world["headers"],
            json={"email": f"script{number}@example.org", "name": name},
        )
        assert response.status_code == 202, (name, response.json)
    response = client.patch(
        f"/api/v1/events/{world['event_id']}", headers=world["headers"], json={"title": "\ubc0b\uc5c5"}
    )
    assert response.status_code == 200, response.json


def test_a_registration_csv_with_a_blank_name_is_refused_naming_it(client, world):
    path = f"/api/v1/events/{world['event_id']}/registrations/import"
    body = "email,name\r\nblank@example.org,\u3164\u3164\r\n".encode()
    response = client.post(path, headers={**world["headers"], "Content-Type": "text/csv"}, data=body)
    assert response.status_code == 422, response.json
    assert "The name has no visible letter" in str(response.json)


def test_a_registration_csv_with_an_invisible_character_is_refused_naming_it(client, world):
    path = f"/api/v1/events/{world['event_id']}/registrations/import"
    body = "email,name\r\nzw@example.org,A\u200bda\r\n".encode()
    response = client.post(path, headers={**world["headers"], "Content-Type": "text/csv"}, data=body)
    assert response.status_code == 422, response.json
    assert "U+200B" in str(response.json)


def test_a_bidirectional_control_in_a_title_is_refused_naming_the_title_and_the_fix(client, world):
    response = client.patch(
        f"/api/v1/events/{world['event_id']}", headers=world["headers"], json={"title": "Ada\u202efdp.exe"}
    )
    problem = assert_problem(response, 422, "invalid_input", "title")
    assert problem["errors"]["title"] == [
        "The title contains a bidirectional control character (U+202E at character 4), which would show it in "
        "another order than it is written; remove that character and send the text as it reads."
    ]
    response = client.patch(f"/api/v1/events/{world['event_id']}", headers=world["headers"], json={"venue": "a\nb"})
    assert assert_problem(response, 422, "invalid_input", "venue")["errors"]["venue"][0].startswith(
        "The venue contains a control character (U+000A at character 2)"
    )


def test_a_description_may_carry_bidirectional_controls(client, world):
    path, headers = f"/api/v1/events/{world['event_id']}", world["headers"]
    text = "Talk in \u2067\u05e2\u05d1\u05e8\u05d9\u05ea\u2069 and English"
    response = client.patch(path, headers=headers, json={"description": text})
    assert response.status_code == 200, response.json
    assert response.json["description"] == text


@pytest.mark.parametrize("value", ["1", "0", "true", "", 1, 0, -0.0, 1.0, None, [], {}])
def test_a_boolean_is_json_true_or_false_only(client, world, value):
    before = database_snapshot()
    response = client.patch("/api/v1/me", headers=world["headers"], json={"directory_opt_in": value})
    problem = assert_problem(response, 422, "invalid_input", "directory_opt_in")
    assert "true or false" in problem["errors"]["directory_opt_in"][0]
    assert database_snapshot() == before


def test_a_boolean_body_field_takes_true_and_false(client, world):
    for value in (True, False):
        response = client.patch("/api/v1/me", headers=world["headers"], json={"directory_opt_in": value})
        assert response.status_code == 200 and response.json["directory_opt_in"] is value


@pytest.mark.parametrize("value", ["1", "0", "yes", "True", "on", ""])
def test_a_boolean_in_a_query_string_is_the_word_true_or_false(client, world, value):
    response = client.get("/api/v1/events", headers=world["headers"], query_string={"mine": value})
    assert_problem(response, 422, "invalid_input", "mine")
    assert client.get("/api/v1/events?mine=true", headers=world["headers"]).status_code == 200
    assert client.get("/api/v1/events?mine=false", headers=world["headers"]).status_code == 200


def test_a_multi_line_field_takes_line_breaks_and_tabs_only(client, world):
    path, headers = f"/api/v1/events/{world['event_id']}", world["headers"]
    response = client.patch(path, headers=headers, json={"description": "Line one\r\n\tLine two\n"})
    assert response.status_code == 200, response.json
    assert response.json["description"] == "Line one\n\tLine two"  # a CRLF is one line break; trimmed
    for value in ("a\x00b", "a\x1bb", "a\rb", "a\u2028b"):
        assert_problem(client.patch(path, headers=headers, json={"description": value}), 422, "invalid_input")


def test_a_scan_needs_some_qr_text(client, world):
    scan = {"nonce": "q-1", "event_id": world["event_id"]}
    for qr in ("", "a\x00b"):
        response = client.post("/api/v1/checkins", headers=world["headers"], json={**scan, "qr": qr})
        assert_problem(response, 422, "invalid_input", "qr")


def test_a_title_stored_with_a_line_break_breaks_no_email_and_no_registration(client, world, outbox):
    # Stored before titles were checked: the emails that quote it still go out, with a one-line subject.
    event = db.session.get(Event, world["event_id"])
    event.title = "Night\r\nBcc: victim@example.org"
    db.session.commit()
    response = client.post(
        f"/api/v1/events/{world['event_id']}/registrations", json={"email": "late@example.org", "name": "Late"}
    )
    assert response.status_code == 202, response.json
    [email] = [message for message in outbox() if recipient(message) == "late@example.org"]
    assert "\n" not in email["Subject"] and "\r" not in email["Subject"]
    assert email["Bcc"] is None


def test_a_blank_name_stored_before_the_check_still_lists_exports_and_lets_its_owner_edit(client, world, make):
    # Names are not cleaned up in the database: one stored as U+3164 shows blank, and breaks nothing.
    person = make.user(name="Ada")
    registration = make.registration(db.session.get(Event, world["event_id"]), name="Ada", email="blank@example.org")
    person.name = registration.name = "\u3164"
    db.session.commit()
    path = f"/api/v1/events/{world['event_id']}/registrations"
    listed = client.get(path, headers=world["headers"])
    assert listed.status_code == 200 and "\u3164" in [item["name"] for item in listed.json["items"]]
    exported = client.get(path, headers=world["headers"], query_string={"format": "csv"})
    assert exported.status_code == 200 and "blank@example.org" in exported.get_data(as_text=True)
    # Its owner can change other fields without retyping it; sending it again asks for a visible name.
    mine = make.token(person)
    assert client.patch("/api/v1/me", headers=mine, json={"headline": "Engineer"}).status_code == 200
    assert_problem(client.patch("/api/v1/me", headers=mine, json={"name": "\u3164"}), 422, "invalid_input", "name")


# --- CSV import ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("csv_body", "line"),
    [
        (b"email,name\nok@example.org,Ok\n" + b"a" * 200_000 + b"@example.org,Big\n", 3),
        (b"email,name" + b"x" * 200_000 + b"\nok@example.org,Ok\n", 1),
        (b'email,name\nok@example.org,Ok\n"' + b"a" * 200_000 + b"\n", 3),
    ],
)
def test_a_csv_cell_past_the_csv_modules_limit_is_a_4xx_naming_its_line(client, world, csv_body, line):
    before = database_snapshot()
    response = post_raw(client, world, "/api/v1/events/{event_id}/registrations/import", csv_body, "text/csv")
    body = assert_problem(response, 422, "invalid_csv")
    assert [row["line"] for row in body["rows"]] == [line], body
    assert "longer than" in body["rows"][0]["message"]
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("csv_body", "field"),
    [
        (b'email,name\nnl@example.org,"Two\nLines"\n', "name"),
        (b"email,name\nnul@example.org,Nul\x00\n", "name"),
        (b'email,name,company\nc@example.org,C,"Acme\rInc"\n', "company"),
        (b'email,name\n"\x01@example.org",Control\n', "email"),
    ],
)
def test_a_csv_cell_with_a_control_character_is_refused_naming_it(client, world, csv_body, field):
    before = database_snapshot()
    response = post_raw(client, world, "/api/v1/events/{event_id}/registrations/import", csv_body, "text/csv")
    body = assert_problem(response, 422, "invalid_csv")
    assert field in {row["field"] for row in body["rows"]}, body
    assert database_snapshot() == before


# --- every input field uses the bounded types ---------------------------------------------------------------


def _input_schemas() -> list[type[ma.Schema]]:
    import netevents.accounts.schemas
    import netevents.checkin.schemas
    import netevents.events.schemas
    import netevents.people.schemas
    import netevents.registrations.schemas  # noqa: F401  (their StrictSchema subclasses are what clients send)

    found, todo = [], [StrictSchema]
    while todo:
        schema = todo.pop()
        found.append(schema)
        todo += schema.__subclasses__()
    return [schema for schema in found if schema is not StrictSchema]


def _fields(schema: ma.Schema, prefix: str = ""):
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        yield from _field_and_inner(f"{prefix}{name}", field)


def _field_and_inner(name: str, field: ma.fields.Field):
    if isinstance(field, ma.fields.Nested):
        yield from _fields(field.schema, f"{name}.")
    elif isinstance(field, ma.fields.List):
        yield from _field_and_inner(f"{name}[]", field.inner)
    else:
        yield name, field


def _refuses(field: ma.fields.Field, value) -> bool:
    try:
        field.deserialize(value)
    except ma.ValidationError:
        return True
    return False


#: Text that may span lines (line breaks and tabs), and the scanner's raw text (anything but NUL, which the body
#: parser refuses before any field).
MULTILINE = {"description", "note"}
BIDI_ALLOWED = {"description"}
RAW = {"qr"}


def test_every_field_a_client_sends_is_bounded_and_refuses_control_characters():
    """The class-level guard: a new input field of a plain marshmallow type fails here until it uses one of
    netevents.schemas' types (Text, Email, Url, Id, Integer, Boolean, AwareDateTime)."""
    failures = []
    for schema_class in _input_schemas():
        is_query = schema_class.__name__.endswith("ArgsSchema")
        for name, field in _fields(schema_class()):
            where = f"{schema_class.__name__}.{name}"
            leaf = name.rsplit(".", 1)[-1].removesuffix("[]")
            if isinstance(field, ma.fields.String) and leaf not in RAW:
                if not _refuses(field, "ab\x01cd@example.org"):
                    failures.append(f"{where} takes a control character")
                if leaf not in MULTILINE and not _refuses(field, "line one\nline two"):
                    failures.append(f"{where} takes a line break")
                if leaf not in BIDI_ALLOWED and not _refuses(field, "Ada\u202efdp.exe"):
                    failures.append(f"{where} takes a bidirectional control character (U+202E)")
                if leaf not in BIDI_ALLOWED and not _refuses(field, "Ada\u200bLovelace"):
                    failures.append(f"{where} takes an invisible character (U+200B)")
                if leaf not in BIDI_ALLOWED and not _refuses(field, "Ada\u3164Lovelace"):
                    failures.append(f"{where} takes a blank-looking letter (U+3164)")
            if isinstance(field, ma.fields.Boolean):
                if not isinstance(field, Boolean):
                    failures.append(f"{where} is marshmallow's Boolean, not netevents.schemas.Boolean")
                loose = ["1", "yes", "True", ""] if is_query else ["1", "true", 1, 0, -0.0]
                failures += [f"{where} takes {value!r} for a boolean" for value in loose if not _refuses(field, value)]
            if isinstance(field, ma.fields.Integer):
                if not _refuses(field, 2**63):
                    failures.append(f"{where} takes 2**63")
                if not is_query and not _refuses(field, "1"):
                    failures.append(f'{where} takes the string "1" for an integer')
            if isinstance(field, ma.fields.DateTime) and not _refuses(field, "9999-12-31T23:59:59-14:00"):
                failures.append(f"{where} takes 9999-12-31T23:59:59-14:00")
    assert not failures, "\n".join(failures)
