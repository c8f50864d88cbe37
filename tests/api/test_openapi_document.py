"""The served OpenAPI document is one a generated client can rely on: valid, with an operationId, the token
and the error answers of every operation, typed fields, output fields marked required, enums as components.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import marshmallow as ma
import pytest
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from netevents import errors
from netevents.accounts import schemas as account_schemas
from netevents.badges import schemas as badge_schemas
from netevents.checkin import schemas as checkin_schemas
from netevents.events import schemas as event_schemas
from netevents.events.models import EventStatus
from netevents.openapi import DocumentPlugin, Token
from netevents.registrations import schemas as registration_schemas
from tests.api.test_authorization import (
    ACCESS,
    CAPABILITY,
    ORGANIZERS,
    PUBLIC,
    PUBLIC_IF_VISIBLE,
    REGISTERED,
    SIGNED_IN,
    STATION,
)

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "patch", "delete")
#: Which tokens a view may declare, by who test_authorization says may call it.
TOKENS_FOR_ACCESS = {
    PUBLIC: {Token.public, Token.optional},
    PUBLIC_IF_VISIBLE: {Token.public, Token.optional},
    CAPABILITY: {Token.public},
    SIGNED_IN: {Token.attendee, Token.organizer},
    STATION: {Token.station},
    ORGANIZERS: {Token.organizer, Token.attendee, Token.any},
    REGISTERED: {Token.attendee},
}


def _schema_classes(*modules) -> dict[str, type[ma.Schema]]:
    """Component name (apispec's: the class name without "Schema") -> the marshmallow schemas `modules` define
    (page envelopes are made by netevents.schemas.page_schema)."""
    return {
        value.__name__.removesuffix("Schema"): value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ma.Schema)
        and value.__module__ in (module.__name__, "netevents.schemas")
    }


SCHEMAS = _schema_classes(account_schemas, event_schemas, registration_schemas, badge_schemas, checkin_schemas, errors)


@pytest.fixture(scope="module")
def document(_migrated_app) -> dict:
    response = _migrated_app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def check(failures: list[str]) -> None:
    assert not failures, "\n".join(failures)


def refs(part) -> set[str]:
    if isinstance(part, dict):
        found = {part["$ref"].rsplit("/", 1)[1]} if "$ref" in part else set()
        return found.union(*(refs(value) for value in part.values()))
    if isinstance(part, list):
        return set().union(*(refs(value) for value in part))
    return set()


def reachable(document, names: set[str]) -> set[str]:
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in seen and name in document["components"]["schemas"]:
            seen.add(name)
            todo.extend(refs(document["components"]["schemas"][name]))
    return seen


def test_the_served_document_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)


def test_operation_ids_are_the_endpoint_names_and_unique(app, document):
    by_path = {(path, method): operation["operationId"] for path, method, operation in operations(document)}
    assert len(set(by_path.values())) == len(by_path)
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and not rule.endpoint.startswith("api-docs."):
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert by_path[path, method.lower()] == rule.endpoint.rpartition(".")[2]


def test_every_operation_says_which_token_it_needs_as_test_authorization_does(app, document):
    endpoint = {
        (rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}"), method.lower()): rule.endpoint
        for rule in app.url_map.iter_rules()
        for method in rule.methods
    }
    failures = []
    for path, method, operation in operations(document):
        name, token = operation["operationId"], operation.get("x-netevents-token")
        if token is None:
            failures.append(f"{name}: no token declared (@access)")
            continue
        allowed = TOKENS_FOR_ACCESS[ACCESS[endpoint[path, method]]]
        if Token(token) not in allowed:
            failures.append(f"{name}: {token}, but test_authorization says {sorted(allowed)}")
        expected = {Token.public: [], Token.optional: [{}, {"bearerAuth": []}]}.get(Token(token), [{"bearerAuth": []}])
        if operation.get("security") != expected:
            failures.append(f"{name}: security {operation.get('security')}, expected {expected}")
        if "Token: " not in operation.get("description", ""):
            failures.append(f"{name}: the description does not say which token")
    check(failures)


def test_errors_are_declared_as_problem_details_with_retry_after_where_it_is_sent(document):
    responses = document["components"]["responses"]
    for name, response in responses.items():
        assert list(response["content"]) == ["application/problem+json"], name
        assert response["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
        assert response.get("description"), name
    assert set(responses["RateLimited"]["headers"]) == set(responses["Unavailable"]["headers"]) == {"Retry-After"}
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance", "reason"}
    failures = []
    for path, method, operation in operations(document):
        statuses = set(operation["responses"])
        expected = {"503", "default"}
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            expected |= {"400", "413", "422"}
        if "{" in path:
            expected.add("404")
        if method != "get":
            expected.add("409")
        if operation.get("x-netevents-token") in ("optional", "attendee", "organizer", "station", "any"):
            expected.add("401")
        if operation.get("x-netevents-rate-limit"):
            expected.add("429")
        if not expected <= statuses:
            failures.append(f"{operation['operationId']}: lacks {sorted(expected - statuses)}")
        for status, response in operation["responses"].items():
            if "$ref" not in response and not response.get("description"):
                failures.append(f"{operation['operationId']}: {status} without a description")
    check(failures)
    rate_limited = {
        operation["operationId"] for *_, operation in operations(document) if "429" in operation["responses"]
    }
    assert {"signup", "sign_in", "request_magic_link", "redeem_magic_link", "register", "badge_card"} <= rate_limited


def _walk_schemas(part, where: str):
    if isinstance(part, dict):
        yield where, part
        for key, value in part.items():
            yield from _walk_schemas(value, f"{where}.{key}")
    elif isinstance(part, list):
        for index, value in enumerate(part):
            yield from _walk_schemas(value, f"{where}[{index}]")


def test_nullable_enums_allow_null_and_enum_fields_are_components(document):
    for where, schema in _walk_schemas(document, "#"):
        types = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
        if "enum" in schema and "null" in types:
            assert None in schema["enum"], f"{where}: null is its type, not among its values"
    schemas = document["components"]["schemas"]
    for name in (
        "EventKind",
        "EventStatus",
        "RegistrationStatus",
        "RegistrationSource",
        "ContactSharing",
        "OrganizerRole",
        "TimeZone",
        "Direction",
        "ScanResult",
        "StationStatus",
    ):
        assert schemas[name]["type"] == "string" and schemas[name]["enum"], name
    assert schemas["TimeZone"]["enum"] == sorted(schemas["TimeZone"]["enum"])
    assert len(set(schemas["TimeZone"]["x-enum-varnames"])) == len(schemas["TimeZone"]["enum"])
    assert schemas["Registration"]["properties"]["status"] == {"$ref": "#/components/schemas/RegistrationStatus"}
    failures = []
    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            if "enum" in prop or any("enum" in option for option in prop.get("anyOf", [])):
                failures.append(f"{name}.{field}: an inline enum")
    for _, _, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if "enum" in parameter["schema"]:
                failures.append(f"{operation['operationId']}?{parameter['name']}: an inline enum")
    check(failures)


def test_an_enum_by_value_is_a_named_component_too():
    """marshmallow dumps an Enum by value through an untyped field: the component's type comes from the values."""

    class Answer(ma.Schema):
        status = ma.fields.Enum(EventStatus, by_value=True, allow_none=True)

    spec = APISpec("t", "1", "3.1.0", plugins=[MarshmallowPlugin(), DocumentPlugin()])
    spec.components.schema("Answer", schema=Answer)
    schemas = spec.to_dict()["components"]["schemas"]
    assert schemas["EventStatus"] == {"type": "string", "enum": ["draft", "published", "cancelled"]}
    assert schemas["Answer"]["properties"]["status"] == {
        "anyOf": [{"$ref": "#/components/schemas/EventStatus"}, {"type": "null"}]
    }


def test_every_field_has_a_type_and_times_are_date_time(document):
    failures = []
    for name, schema in document["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            problems = []
            if not {"type", "$ref", "anyOf", "allOf", "oneOf"} & set(prop):
                problems.append(f"{name}.{field}: no type")
            types = prop.get("type") if isinstance(prop.get("type"), list) else [prop.get("type")]
            if (field.endswith("_at") or field == "at") and "string" in types and prop.get("format") != "date-time":
                problems.append(f"{name}.{field}: a time without format date-time")
            failures.extend(problems)
    check(failures)


def test_output_fields_are_required_and_input_schemas_keep_their_own(document):
    request_refs, response_refs = set(), set()
    for _, _, operation in operations(document):
        request_refs |= refs([operation.get("requestBody", {}), operation.get("parameters", [])])
        response_refs |= refs(
            {status: response for status, response in operation["responses"].items() if "$ref" not in response}
        )
    inputs, outputs = reachable(document, request_refs), reachable(document, response_refs)
    assert {"Event", "Registration", "Token", "Profile", "EventSummary", "BadgeCard"} <= outputs - inputs
    assert {"SignUp", "EventInput", "EventUpdate", "RegistrationInput", "Link"} <= inputs
    for name in outputs - inputs:
        schema = document["components"]["schemas"][name]
        if "properties" in schema:
            assert set(schema.get("required", [])) == set(schema["properties"]), name
    for name in inputs & set(SCHEMAS):
        required = {field.data_key or key for key, field in SCHEMAS[name]().fields.items() if field.required}
        assert set(document["components"]["schemas"][name].get("required", [])) == required, name
    assert "required" not in document["components"]["schemas"]["EventUpdate"]


def test_servers_examples_urls_and_image_content_types(document):
    assert document["servers"] == [
        {"url": "http://testserver", "description": "This deployment (NETEVENTS_BASE_URL)"},
        {"url": "/", "description": "The host that served this document"},
    ]
    by_id = {operation["operationId"]: operation for *_, operation in operations(document)}
    failures = []
    for operation_id in (
        "signup",
        "sign_in",
        "create_event",
        "update_event",
        "register",
        "create_station",
        "pair_station",
        "check_in",
        "check_in_batch",
    ):
        operation = by_id[operation_id]
        if "example" not in operation["requestBody"]["content"]["application/json"]:
            failures.append(f"{operation_id}: no request example")
    check(failures)
    registration = document["components"]["schemas"]["Registration"]["properties"]
    assert registration["badge_url"] == {
        "type": ["string", "null"],
        "format": "uri",
        "readOnly": True,
        "description": "The badge page (null once cancelled); its QR code is what the door scans",
    }
    assert list(by_id["badge_qr"]["responses"]["200"]["content"]) == ["image/svg+xml"]
    assert list(by_id["badge_svg"]["responses"]["200"]["content"]) == ["image/svg+xml"]
    assert list(by_id["badge_png"]["responses"]["200"]["content"]) == ["image/png"]


def test_the_document_is_the_same_on_every_start(tmp_path):
    """Nothing in it depends on hash order (a set of time zones did): generated clients diff cleanly."""
    printed = []
    for seed in ("1", "2"):
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "FLASK_APP": "wsgi",
            "NETEVENTS_INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}",
            "NETEVENTS_BASE_URL": "http://testserver",
        }
        result = subprocess.run(
            [sys.executable, "-m", "flask", "openapi", "print"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        printed.append(json.loads(result.stdout))
    assert printed[0] == printed[1]
    assert json.dumps(printed[0]) == json.dumps(printed[1])
