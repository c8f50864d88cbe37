"""Hostile input, sent to every operation of the served OpenAPI document, is refused cleanly: never a 5xx, a
problem+json answer for every 4xx, and a refused request changes nothing in the database.

Hypothesis draws, for each operation, one place to attack (a path parameter, a query parameter, one field of a
valid body, or the whole body) and a hostile value for it: deep nesting, integers past 64 bits and number literals
past Python's 4300 digits, lone UTF-16 surrogates, NUL and other control characters, datetimes at the edge of
the representable range with an offset, wrong types, empty and non-JSON bodies, wrong content types. Requests
carry the token the operation asks for (organizer, attendee, station), so they reach the code behind the token
check. Runs on SQLite and on PostgreSQL (NETEVENTS_TEST_DATABASE_URL), like the rest of the suite.

The counts (operations x requests, answers >= 500) are written at the end of the run (tests/api/conftest.py).
With NETEVENTS_HOSTILE_COUNT_ONLY=1 the test only counts (5xx and all): to measure a tree that still fails.
"""

import copy
import hashlib
import itertools
import json
import os
import secrets
import shutil
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from netevents import config, create_app
from netevents.accounts.models import User
from netevents.accounts.services import issue_access_token
from netevents.checkin.stations import pair_station
from netevents.db import utcnow
from netevents.extensions import db

COUNT_ONLY = os.environ.get("NETEVENTS_HOSTILE_COUNT_ONLY") == "1"
EXAMPLES_PER_OPERATION = 8
METHODS = ("get", "post", "put", "patch", "delete")


def _served_document() -> dict:
    # Read at collection time from an app of its own (the document does not depend on the database).
    instance = Path(tempfile.mkdtemp(prefix="netevents-openapi-"))
    try:
        app = create_app(config.TestConfig(instance, f"sqlite:///{instance / 'unused.db'}"))
        return app.test_client().get("/api/v1/openapi.json").json
    finally:
        shutil.rmtree(instance, ignore_errors=True)


DOCUMENT = _served_document()
#: (method, path, operation), each operation with its path's parameters among its own.
OPERATIONS = [
    (method, path, {**operation, "parameters": item.get("parameters", []) + operation.get("parameters", [])})
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method in METHODS
]

# --- hostile values -----------------------------------------------------------------------------------------


class Raw:
    """A JSON literal written as it is (json.dumps cannot write 1e999 or a 5000-digit number)."""

    def __init__(self, literal: str):
        self.literal = literal

    def __repr__(self):
        return f"Raw({self.literal[:40]!r}{'...' if len(self.literal) > 40 else ''})"


def deep(levels: int):
    value: object = 1
    for _ in range(levels):
        value = [value]
    return value


HUGE_LITERAL = "1" + "0" * 5000
INTEGERS = [0, -1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30, Raw(HUGE_LITERAL), Raw("1e999")]
INTEGERS += [Raw("-" + HUGE_LITERAL), 1.5, 1.0, "1", "", True, "\u0661"]
STRINGS = ["", " ", "a\x00b", "\x00", "\ud800", "x\udfff", "a\r\nBcc: victim@example.org", "two\nlines", "\t"]
STRINGS += ["\x1b[31mred", "\u2028", "\x7f", "\x85", "x" * 20_000, "\ufeff", "\U0001d518\U0001d52b"]
STRINGS += ["Ada\u202efdp.exe", "a\u2066b\u2069", "\U0001f469\u200d\U0001f4bb"]
#: What a lax boolean would take for true or false.
BOOLEANS = ["1", "0", "true", "false", 1, 0, Raw("-0"), 1.0, "", [], {}]
DATETIMES = [
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00+14:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999+00:00",
    "2026-02-30T10:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T10:00:00+24:00",
    "2026-01-01T10:00:00",
    "10000-01-01T00:00:00Z",
    "-0001-01-01T00:00:00Z",
    "1969-12-31T23:59:59Z",
    "2026-01-01T10:00:00\x00Z",
]
EMAILS = ['"\x01"@example.org', "a@example.org\r\nBcc: victim@example.org", "a\x00@example.org", '"a\\\n"@example.org']
EMAILS += ["a@example.org\n", "\ud800@example.org", "a@\x7fexample.org"]
WRONG_TYPES = [None, [], {}, True, 0, "text", deep(40), {"\ud800": 1}, {"\x00": 1}, [deep(40)]]

# Whole bodies: (content type, bytes).
JSON = "application/json"
BODIES = [
    (JSON, b"[" * 100_000 + b"]" * 100_000),
    (JSON, b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
    (JSON, b'{"x": ' + HUGE_LITERAL.encode() + b"}"),
    (JSON, b'{"x": 1e99999}'),
    (JSON, b'{"x": NaN}'),
    (JSON, b'{"x": -Infinity}'),
    (JSON, b'{"\\ud800": 1}'),
    (JSON, b'{"x": "\\u0000"}'),
    (JSON, b""),
    (JSON, b"   "),
    (JSON, b"{"),
    (JSON, b"hello"),
    (JSON, b"\xff\xfe{\x00}\x00"),
    (JSON, b"\xef\xbb\xbf{}"),
    (JSON, b"[]"),
    (JSON, b'"a string"'),
    (JSON, b"null"),
    (JSON, b"12"),
    ("text/plain", b"{}"),
    ("application/x-www-form-urlencoded", b"name=x&email=y"),
    ("application/xml", b"<a/>"),
    ("", b'{"a": 1}'),
    ("multipart/form-data; boundary=x", b"--x--"),
]
CSV_BODIES = [
    ("text/csv", b"email,name\n" + b"a" * 200_000 + b"@example.org,Big\n"),
    ("text/csv", b"email,name" + b"x" * 200_000 + b"\n"),
    ("text/csv", b'email,name\n"' + b"a" * 200_000 + b"\n"),
    ("text/csv", b"email,name\nnul@example.org,Nul\x00Name\n"),
    ("text/csv", b'email,name\nnl@example.org,"Two\nLines"\n'),
    ("text/csv", b'email,name\n"\x01"@example.org,Control\n'),
    ("text/csv", b"email,name\nbad@example.org,\xff\xfe\n"),
    ("text/csv", b""),
    ("text/csv", b"\x00\x00\x00"),
    (JSON, b'{"email": "a@example.org"}'),
]
PATH_INTEGERS = ["0", "-1", str(2**31), str(2**63), str(2**64), "1" * 5000, "1.0", "1e3", "+1", "%201", "\u0661", "abc"]
PATH_INTEGERS += ["%00", "1%00", "1%0A"]
PATH_STRINGS = ["%00", "a%0Ab", "%ED%A0%80", "%C0%AF", "x" * 5000, "%2e%2e", "a%09b", "%E2%80%A8"]


def query_values(schema: dict) -> list[str]:
    """Hostile query string values (percent-encoded), by the parameter's type."""
    kind = schema.get("type")
    if kind == "integer":
        return PATH_INTEGERS
    if kind == "boolean":
        return ["maybe", "%00", "2", "", "1", "0", "yes", "True"]
    if schema.get("format") == "date-time":
        return [quote(value) for value in DATETIMES]
    return [*PATH_STRINGS, "%ED%A0%80", quote("two\nlines"), "%1B", "%7F", "%C2%85"]


def body_values(schema: dict) -> list:
    kind = schema.get("type")
    if kind == "integer":
        return INTEGERS
    if kind == "string" and schema.get("format") == "date-time":
        return DATETIMES + STRINGS[:6]
    if kind == "string" and schema.get("format") == "email":
        return EMAILS + STRINGS[:6]
    if kind == "string":
        return STRINGS
    if kind == "boolean":
        return BOOLEANS
    return WRONG_TYPES + STRINGS[:5] + INTEGERS[:10]


# --- the document -------------------------------------------------------------------------------------------


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:  # nullable: the non-null branch
        branches = [branch for branch in schema["anyOf"] if branch.get("type") != "null"]
        return resolve(branches[0]) if branches else schema
    return schema


def body_fields(schema: dict, path: tuple = ()) -> list[tuple[tuple, dict]]:
    """(path in the body, schema) of every field of a request body, nested objects and list items included."""
    schema = resolve(schema)
    fields = []
    for name, prop in schema.get("properties", {}).items():
        if prop.get("readOnly"):
            continue
        prop = resolve(prop)
        fields.append(((*path, name), prop))
        if prop.get("type") == "object":
            fields += body_fields(prop, (*path, name))
        if prop.get("type") == "array":
            items = resolve(prop.get("items", {}))
            fields.append(((*path, name, 0), items))
            if items.get("type") == "object":
                fields += body_fields(items, (*path, name, 0))
    return fields


def json_body_schema(operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    return content[JSON]["schema"] if JSON in content else None


# --- the world the requests address -------------------------------------------------------------------------


PASSWORD = "correct horse battery"
PASSWORD_HASH = generate_password_hash(PASSWORD)  # once: scrypt takes a fifth of a second


def person(name: str, email: str) -> User:
    user = User(email=email, name=name, password_hash=PASSWORD_HASH)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def world(client, make):
    """Alice organizes an event with Carol (co-organizer, registered) and a paired door; Bob is registered and
    checked in, and Carol met him (a connection); Bob's badge secret and every id a path may name."""
    alice = person("Alice Organizer", "alice@example.org")
    alice_headers = make.token(alice)
    soon = utcnow().replace(microsecond=0) + timedelta(minutes=30)
    event = make.event(alice, title="Alice's Meetup", capacity=50, starts_at=soon, ends_at=soon + timedelta(hours=3))
    carol = person("Carol Co", "carol@example.org")
    bob = make.registration(event, name="Bob Attendee", email="bob@example.org")
    carol_registration = make.registration(event, name="Carol Co", email="carol@example.org")
    station = client.post(f"/api/v1/events/{event.id}/stations", headers=alice_headers, json={"name": "Door A"}).json
    _, station_token = pair_station(station["pairing_code"])
    db.session.commit()
    scan = client.post(
        "/api/v1/checkins",
        headers=alice_headers,
        json={"registration_id": bob.id, "nonce": "alice-1", "event_id": event.id},
    ).json
    exchange = client.post(
        "/api/v1/exchanges",
        headers=make.token(carol_registration.user),
        json={"qr": bob.badge_secret, "nonce": "carol-1"},
    ).json
    assert exchange["result"] == "recorded", exchange
    # Made co-organizer after she met Bob: an organizer holds every badge of the event, and scans none of them.
    client.post(f"/api/v1/events/{event.id}/organizers", headers=alice_headers, json={"email": carol.email})
    bingo_actions = ["introduced", "asked_advice", "offered_help", "mentoring", "shared_knowledge", "a", "b", "c", "d"]
    client.put(f"/api/v1/events/{event.id}/bingo", headers=alice_headers, json={"actions": bingo_actions})
    bingo_round = client.post(f"/api/v1/events/{event.id}/bingo/rounds", headers=alice_headers, json={}).json
    poster = client.post(f"/api/v1/events/{event.id}/posters", headers=alice_headers, json={"name": "Entrance"}).json
    return {
        "alice": alice,
        "carol": carol,
        "station_token": station_token,
        "event_id": event.id,
        "registration_id": bob.id,
        "user_id": carol.id,
        "station_id": station["id"],
        "scan_id": scan["id"],
        "secret": bob.badge_secret,
        "connection_id": exchange["connection_id"],
        "exchange_id": exchange["id"],
        "round_id": bingo_round["id"],
        "poster_id": poster["poster"]["id"],
        "poster_url": poster["url"],
    }


#: operationId -> a valid body in the world, so that a hostile value in one field meets the code behind the others.
VALID_BODIES = {
    "signup": lambda w: {"email": "newcomer@example.org", "password": "long enough pw", "name": "Newcomer"},
    "sign_in": lambda w: {"email": "alice@example.org", "password": PASSWORD},
    "request_magic_link": lambda w: {"email": "alice@example.org", "next": "/me"},
    "redeem_magic_link": lambda w: {"code": "ml_not-a-real-code"},
    "update_me": lambda w: {
        "headline": "Engineer",
        "links": [{"label": "Site", "url": "https://example.org"}],
        "topics": ["platforms"],
        "sharing": {"email": "connections"},
        "phone": "+49 30 1234567",
    },
    "create_event": lambda w: {
        "kind": "meetup",
        "title": "Hostile night",
        "description": "Two\nlines",
        "starts_at": "2031-01-01T18:00:00+01:00",
        "ends_at": "2031-01-01T20:00:00+01:00",
        "timezone": "Europe/Berlin",
        "venue": "Hall B",
        "capacity": 10,
        "online_url": "https://example.org/live",
        "checkin_opens_at": "2031-01-01T17:00:00+01:00",
    },
    "update_event": lambda w: {
        "title": "Renamed",
        "capacity": 40,
        "starts_at": (utcnow() + timedelta(minutes=30)).isoformat(),
    },
    "add_organizer": lambda w: {"email": "dave@example.org"},
    "register": lambda w: {"email": "eve@example.org", "name": "Eve", "headline": "Hi", "topics": ["x"]},
    "update_registration": lambda w: {"name": "Bob B.", "headline": "Engineer", "company": "Acme"},
    "create_station": lambda w: {"name": "Door B"},
    "pair_station": lambda w: {"code": "AAAA-BBBB-CC"},
    "check_in": lambda w: {"registration_id": w["registration_id"], "nonce": "hostile", "event_id": w["event_id"]},
    "check_in_batch": lambda w: {
        "scans": [
            {
                "qr": f"http://testserver/b/{w['secret']}",
                "nonce": "hostile-batch",
                "event_id": w["event_id"],
                "scanned_at": utcnow().isoformat(),
                "direction": "exit",
            }
        ]
    },
    "walk_in": lambda w: {"email": "walker@example.org", "name": "Walker", "company": "Acme"},
    "create_poster": lambda w: {"name": "Side entrance"},
    "check_in_self": lambda w: {"qr": w["poster_url"], "nonce": "hostile-self", "scanned_at": utcnow().isoformat()},
    "record_exchange": lambda w: {"qr": w["secret"], "nonce": "hostile-x", "actions": ["introduced"], "note": "Hi"},
    "add_to_exchange": lambda w: {"actions": ["offered_help"], "note": "Later"},
    "record_exchange_batch": lambda w: {
        "exchanges": [{"qr": w["secret"], "nonce": "hostile-xb", "scanned_at": utcnow().isoformat(), "note": "a"}]
    },
    "update_connection": lambda w: {"note": "Met\nat the door", "tags": ["introduced"], "followed_up": True},
    "block": lambda w: {"user_id": w["user_id"]},
    "update_event_actions": lambda w: {"custom": ["pair_programmed"], "labels": {"pair_programmed": "Pair programmed"}},
    "configure_bingo": lambda w: {
        "actions": [f"square_{i}" for i in range(9)],
        "labels": {"square_0": "Swap business cards"},
        "size": 3,
        "round_minutes": 10,
    },
    "start_bingo_round": lambda w: {"minutes": 5},
}
VALID_QUERIES = {"station_attendees": {"q": "Bob"}}
#: Operations that end their caller's account or session when they succeed: a throwaway person calls them.
ENDS_THE_CALLER = {"delete_me", "sign_out"}
#: Fields whose text may span lines (and tabs); every other text field is one line.
MULTILINE = {"description", "note"}
#: Right-to-left writing may use bidirectional controls in a description; a private note is listed beside names.
BIDI_ALLOWED = {"description"}
#: The raw text a scanner read: anything but NUL.
RAW_TEXT = {"qr"}


#: The reasons of a refused body or field (a domain's own refusal, such as a used sign-in code, is fine).
INPUT_REFUSALS = {"invalid_input", "malformed_json", "duplicate_key", "empty_body", "body_too_deep"}
INPUT_REFUSALS |= {"unsupported_media_type"}


def headers_for(operation: dict, world: dict, draw) -> dict:
    token = operation.get("x-netevents-token")
    if token in ("public", None):
        return {}
    if token == "station" or (token == "any" and draw(st.booleans())):
        return {"Authorization": f"Bearer {world['station_token']}"}
    if operation["operationId"] in ENDS_THE_CALLER:
        person_ = person("Throwaway", f"throwaway-{secrets.token_hex(4)}@example.org")
    else:
        person_ = world["alice"] if token in ("organizer", "any", "optional") else world["carol"]
    access_token = issue_access_token(person_)  # fresh: a sign-out drawn before must not end the run
    db.session.commit()
    return {"Authorization": f"Bearer {access_token}"}


# --- the database -------------------------------------------------------------------------------------------


def database_digest() -> dict[str, str]:
    """Each table's rows, hashed: what a refused request must leave as it was."""
    db.session.expire_all()
    digest = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        digest[table.name] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
    db.session.rollback()
    return digest


# --- the test -----------------------------------------------------------------------------------------------

COUNTS: Counter = Counter()
FIVE_HUNDREDS: list[str] = []


def summary() -> list[str]:
    """The counts, for the run's closing lines (tests/api/conftest.py writes them)."""
    operations = len({key[1] for key in COUNTS if key[0] == "requests"})
    requests = sum(count for key, count in COUNTS.items() if key[0] == "requests")
    if not requests:
        return []
    lines = [
        f"hostile input ({db_kind()}): {operations} operations x {requests} requests, {len(FIVE_HUNDREDS)} answers >= 500"
    ]
    return lines + [f"  {failure}" for failure in FIVE_HUNDREDS[:30]]


def db_kind() -> str:
    return "PostgreSQL" if os.environ.get("NETEVENTS_TEST_DATABASE_URL") else "SQLite"


def encode(body) -> bytes:
    """JSON text of `body` with its Raw literals written as they are; lone surrogates as \\u escapes."""
    literals: dict[str, str] = {}

    def default(value):
        if isinstance(value, Raw):
            marker = f"@@raw{len(literals)}@@"
            literals[marker] = value.literal
            return marker
        raise TypeError(value)

    text_ = json.dumps(body, default=default)  # ensure_ascii: a lone surrogate leaves as "\ud800"
    for marker, literal in literals.items():
        text_ = text_.replace(f'"{marker}"', literal)
    return text_.encode("ascii")


def set_at(body, path: tuple, value):
    """`body` with `value` at `path` (keys and list indexes), making the containers on the way."""
    target = body
    for key, next_key in itertools.pairwise(path):
        kind = list if isinstance(next_key, int) else dict
        if isinstance(key, int):
            while len(target) <= key:
                target.append(kind())
            if not isinstance(target[key], kind):
                target[key] = kind()
        elif not isinstance(target.get(key), kind):
            target[key] = kind()
        target = target[key]
    if isinstance(path[-1], int):
        while len(target) <= path[-1]:
            target.append(None)
    target[path[-1]] = value
    return body


def must_be_refused(value, field: str | None) -> bool:
    """Values no field may accept (and those single-line fields may not): a 2xx for them is a defect too."""
    texts = []
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, Raw):
            return True
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            texts += list(item)
            todo += list(item.values())
        elif isinstance(item, list):
            todo += item
    for text_ in texts:
        if "\x00" in text_ or any(0xD800 <= ord(c) <= 0xDFFF for c in text_):
            return True
        if field in RAW_TEXT:
            continue
        allowed = "\n\t" if field in MULTILINE else ""
        if any((ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) and c not in allowed for c in text_):
            return True
        if field not in BIDI_ALLOWED and any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in text_):
            return True
    return False


def build_request(method, path, operation, world, data) -> dict:
    """One request with one hostile part; `what` says which, for the failure message."""
    path_values = {name: str(world[name]) for name in world if f"{{{name}}}" in path}
    query = dict(VALID_QUERIES.get(operation["operationId"], {}))
    query = {name: quote(str(value)) for name, value in query.items()}
    body_schema = json_body_schema(operation)
    content = operation.get("requestBody", {}).get("content", {})
    valid = VALID_BODIES.get(operation["operationId"])
    body = copy.deepcopy(valid(world)) if valid else None
    content_type, raw_body = (JSON, encode(body)) if body is not None else (None, None)
    if "text/csv" in content:
        content_type, raw_body = "text/csv", b"email,name\nhostile@example.org,Hostile\n"

    places = [("path", name) for name in path_values]
    places += [
        ("query", parameter["name"]) for parameter in operation.get("parameters", []) if parameter["in"] == "query"
    ]
    if body_schema is not None:
        places += [("field", field_path) for field_path, _ in body_fields(body_schema)]
        places += [("body", None)] * 3  # whole bodies: as likely as a few fields
    if "text/csv" in content:
        places += [("csv", None)] * 3
    if not places:
        places = [("body", None)]  # an operation without input: an unexpected body must not matter either
    kind, name = data.draw(st.sampled_from(places), label="place")
    refuse = False
    if kind == "path":
        parameter = next(p for p in operation["parameters"] if p["name"] == name and p["in"] == "path")
        choices = PATH_INTEGERS if parameter["schema"].get("type") == "integer" else PATH_STRINGS
        path_values[name] = data.draw(st.sampled_from(choices), label=name)
        what = f"path {name}={path_values[name][:60]!r}"
    elif kind == "query":
        parameter = next(p for p in operation["parameters"] if p["name"] == name and p["in"] == "query")
        query[name] = data.draw(st.sampled_from(query_values(parameter["schema"])), label=name)
        what = f"query {name}={query[name][:60]!r}"
    elif kind == "field":
        field_schema = dict(body_fields(body_schema))[name]
        value = data.draw(st.sampled_from(body_values(field_schema)), label=".".join(map(str, name)))
        body = set_at(body if body is not None else {}, name, value)
        raw_body, content_type = encode(body), JSON
        refuse = must_be_refused(value, str(name[-1]) if not isinstance(name[-1], int) else str(name[-2]))
        refuse = refuse or (field_schema.get("type") == "boolean" and not isinstance(value, bool))
        what = f"field {'.'.join(map(str, name))}={value!r:.80}"
    elif kind == "csv":
        content_type, raw_body = data.draw(st.sampled_from(CSV_BODIES), label="csv")
        what = f"CSV body {raw_body[:60]!r} as {content_type!r}"
    else:
        content_type, raw_body = data.draw(st.sampled_from(BODIES), label="body")
        what = f"body {raw_body[:60]!r} as {content_type!r}"
        optional = not operation.get("requestBody", {}).get("required", False)
        refuse = body_schema is not None and not (optional and raw_body == b"")  # an optional body may be empty
    url = path
    for parameter_name, value in path_values.items():
        url = url.replace(f"{{{parameter_name}}}", value)
    query_string = "&".join(f"{name}={value}" for name, value in query.items())
    return {
        "url": url,
        "query_string": query_string,
        "content_type": content_type,
        "data": raw_body,
        "what": what,
        "refuse": refuse,
    }


@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[operation["operationId"] for _, _, operation in OPERATIONS]
)
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_hostile_input_is_refused_cleanly_and_changes_nothing(method, path, operation, data, client, world):
    request = build_request(method, path, operation, world, data)
    headers = headers_for(operation, world, data.draw)
    if request["content_type"] is not None:
        headers["Content-Type"] = request["content_type"]
    before = database_digest()
    response = client.open(
        request["url"],
        method=method.upper(),
        query_string=request["query_string"],
        data=request["data"],
        headers=headers,
    )
    db.session.rollback()
    status = response.status_code
    answer = response.get_data()[:300].decode(errors="replace")
    where = f"{method.upper()} {path}: {request['what']} -> {status} {answer}"
    COUNTS["requests", operation["operationId"]] += 1
    if status >= 500:
        FIVE_HUNDREDS.append(where)
    if COUNT_ONLY:
        return
    assert status < 500, where
    if request["refuse"]:
        assert 400 <= status < 500, where
    if status >= 400:
        assert response.mimetype == "application/problem+json", where
        problem = json.loads(response.get_data())  # not response.json: the app's own parser refuses a NUL
        assert problem["status"] == status and problem["reason"] and problem["detail"], where
        if status != 429:  # a refusal the door counts may be logged (its budget)
            after = database_digest()
            changed = [name for name in before if before[name] != after[name]]
            assert not changed, f"{where}\nchanged: {changed}"


def test_every_operation_with_a_json_body_has_a_valid_one_here():
    """A new operation with a body gets a valid body above, so its fields are attacked one by one."""
    missing = [
        operation["operationId"]
        for _, _, operation in OPERATIONS
        if json_body_schema(operation) is not None and operation["operationId"] not in VALID_BODIES
    ]
    assert not missing, f"add a valid body to VALID_BODIES for: {missing}"


def test_the_valid_bodies_are_valid(client, world):
    """Each body above passes validation, so a refusal in the test above is the hostile value's doing."""
    for method, path, operation in OPERATIONS:
        valid = VALID_BODIES.get(operation["operationId"])
        if valid is None:
            continue
        url = path
        for name in ("event_id", "registration_id", "connection_id", "exchange_id", "round_id"):
            url = url.replace(f"{{{name}}}", str(world[name]))
        headers = headers_for(operation, world, lambda _strategy: False)
        response = client.open(url, method=method.upper(), json=valid(world), headers=headers)
        db.session.rollback()
        if response.status_code >= 400:
            assert response.json["reason"] not in INPUT_REFUSALS, (operation["operationId"], response.json)


def test_a_key_sent_twice_is_refused_by_every_operation_naming_it(client, world):
    """A body naming a field twice ("role": "attendee" ... "role": "organizer") is refused whole, by the one body
    parser: no operation takes the last (or the first) of the two silently."""
    for method, path, operation in OPERATIONS:
        valid = VALID_BODIES.get(operation["operationId"])
        if valid is None:
            continue
        url = path
        for name in ("event_id", "registration_id", "connection_id", "exchange_id", "round_id"):
            url = url.replace(f"{{{name}}}", str(world[name]))
        body = valid(world)
        key, value = next(iter(body.items())) if body else ("note", "x")
        text_ = json.dumps(body)
        twice = "{" + json.dumps(key) + ": " + json.dumps(value) + (", " + text_[1:] if body else ', "note": "y"}')
        before = database_digest()
        headers = {**headers_for(operation, world, lambda _strategy: False), "Content-Type": JSON}
        response = client.open(url, method=method.upper(), data=twice, headers=headers)
        where = f"{operation['operationId']}: {twice[:80]}"
        assert response.status_code == 400, (where, response.json)
        assert response.json["reason"] == "duplicate_key", where
        assert response.json["errors"] == {key: [f"The key '{key}' appears twice in one object; send each field once."]}
        after = database_digest()
        changed = [name for name in before if before[name] != after[name] and name != "access_token"]  # last used
        assert not changed, where


def test_a_query_parameter_sent_twice_is_refused_by_every_operation_naming_it(client, world):
    """`?page=1&page=2` is refused by the one query parser, as a body key sent twice is: no operation takes the
    first (or the last) of the two silently. Parameters that are lists take repeats, and none is one today."""
    checked = 0
    for method, path, operation in OPERATIONS:
        for parameter in operation["parameters"]:
            if parameter["in"] != "query" or parameter.get("schema", {}).get("type") == "array":
                continue
            name = parameter["name"]
            url = path
            for key in ("event_id", "registration_id", "connection_id", "exchange_id", "round_id"):
                url = url.replace(f"{{{key}}}", str(world[key]))
            before = database_digest()
            response = client.open(
                f"{url}?{name}=1&{name}=2",
                method=method.upper(),
                headers=headers_for(operation, world, lambda _strategy: False),
            )
            db.session.rollback()
            where = f"{operation['operationId']} ?{name}"
            assert response.status_code == 400, (where, response.json)
            assert response.json["reason"] == "duplicate_parameter", where
            assert response.json["errors"] == {name: [f"The query parameter '{name}' appears twice; send it once."]}, (
                where
            )
            after = database_digest()
            assert [table for table in before if before[table] != after[table] and table != "access_token"] == [], where
            checked += 1
    assert checked > 20  # every listing, search and filter of the API
