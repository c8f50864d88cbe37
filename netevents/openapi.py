"""The served OpenAPI document, made good enough for generated clients by one apispec plugin.

A view says two things about itself that the code cannot tell the document: which token it needs
(`@access(Token.organizer)`, which also checks it) and its rate limit (`@rate_limit("30 per minute", ...)`, which
also enforces it). `DocumentPlugin` (wired in `create_app`) does the rest for every operation: an `operationId` from
the endpoint's name, `security` from the token, the error responses it can answer (problem details,
Retry-After on 429 and 503), enums as named components, and `required` on the fields of schemas that
only ever leave the server. Two field `metadata` keys are read here: `enum_name` names the component of a
field's choices (for fields that are not `ma.fields.Enum`), and `may_be_absent` marks an output field that
some answers leave out.
"""

import functools
import re
from collections.abc import Callable, Iterator
from http import HTTPStatus

import flask_smorest
import marshmallow as ma
from apispec import APISpec, BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, request

from netevents.access import Token, admit
from netevents.bodies import BodyParser
from netevents.extensions import limiter
from netevents.openapi_problems import PROBLEM_CONTENT_TYPE, RESPONSE_NAMES, problem_responses, problem_statuses

TOKEN = "x-netevents-token"
RATE_LIMIT = "x-netevents-rate-limit"
PROBLEMS = "x-netevents-problems"
BEARER_SCHEME = "bearerAuth"


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint, whose JSON bodies go through the one parser with limits (netevents.bodies).
    A body is required unless the view says `required=False`, which lets it be empty.

    A schema given as a class is made into an instance here, once: webargs would make one for every request
    (marshmallow deep-copies its fields for each), a tenth of a millisecond or more of each exchange's CPU."""

    ARGUMENTS_PARSER = BodyParser()

    def arguments(self, schema, *, location="json", required=True, **kwargs):
        if isinstance(schema, type):
            schema = schema()
        decorator = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json" or required:
            return decorator

        def optional_body(view):
            view = decorator(view)
            view.body_optional = True  # kept by the wrappers around it (functools.wraps copies it)
            return view

        return optional_body


TOKEN_TEXT = {
    Token.public: "none: anyone may call it.",
    Token.optional: "none needed; with an attendee or organizer token the answer may show more (your drafts, "
    "your own email).",
    Token.attendee: "a person's account token (from sign-up, sign-in or a sign-in link; attendees and "
    "organizers alike), acting for themselves.",
    Token.organizer: "a person's account token; for an existing event, that of one of its organizers.",
    Token.station: "a paired door station's token (from `POST /api/v1/stations/pair`).",
    Token.any: "a door station's token, or the account token of one of the event's organizers.",
}


def access(token: Token) -> Callable:
    """Say which token the view needs, in the document, and check it before the view reads the request's body
    (`netevents.access.admit`); the view still decides what that caller may do."""
    token = Token(token)

    def decorator(view):
        @functools.wraps(view)
        def admitted(*args, **kwargs):
            admit(token)
            return view(*args, **kwargs)

        return Blueprint.doc(**{TOKEN: token.value})(admitted)

    return decorator


def rate_limit(limit: str, refusal: str, per: Callable[[], str] | None = None) -> Callable:
    """flask-limiter's limit on the view (per client address, or per what `per` names), said in the document as a
    429. `refusal` says what was limited, for the 429's detail ("Too many sign-in attempts from this address");
    the answer adds when to try again."""

    def decorator(view):
        limited = limiter.limit(limit, key_func=per, error_message=refusal, scope=view.__name__ if per else None)
        return limited(Blueprint.doc(**{RATE_LIMIT: limit})(view))

    return decorator


def own_rate_limit(description: str) -> Callable:
    """A view that counts its own budget says what it limits (a 429 in the document); flask-limiter's request
    limits leave it alone (see `counts_own_budget`), so only that budget can slow it down."""

    def decorator(view):
        view.counts_own_budget = True  # kept by the wrappers around it (functools.wraps copies it)
        return Blueprint.doc(**{RATE_LIMIT: description})(view)

    return decorator


@limiter.request_filter
def counts_own_budget() -> bool:
    """flask-limiter skips requests to views with their own budget (`own_rate_limit`)."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "counts_own_budget", False)


def problems(*statuses: int) -> Callable:
    """Error statuses a view answers beyond those the document derives (see `problem_statuses`)."""
    return Blueprint.doc(**{PROBLEMS: list(statuses)})


def document_options(base_url: str) -> dict:
    """flask-smorest's `spec_kwargs`: the plugin, the servers, and the token legend."""
    legend = "\n".join(f"- `{token}`: {text}" for token, text in TOKEN_TEXT.items())
    return {
        "extra_plugins": [DocumentPlugin()],
        "servers": [
            {"url": base_url, "description": "This deployment (NETEVENTS_BASE_URL)"},
            {"url": "/", "description": "The host that served this document"},
        ],
        "info": {
            "description": "Check-in and networking for meetups. Errors are RFC 9457 problem details with a stable "
            "`reason`. Send tokens as `Authorization: Bearer <token>`; each operation's "
            f"`x-netevents-token` says which one it needs:\n\n{legend}",
        },
    }


class DocumentPlugin(BasePlugin):
    """Completes every operation and schema of the document as flask-smorest registers them."""

    def __init__(self):
        self.operation_ids: set[str] = set()
        self.enums: dict[str, object] = {}
        #: Component name -> the fields marshmallow requires (input) / always dumps (output).
        self.required_in: dict[str, list[str]] = {}
        self.required_out: dict[str, list[str]] = {}
        self.in_requests: set[str] = set()
        self.in_responses: set[str] = set()

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        self.spec = spec
        spec.components.security_scheme(
            BEARER_SCHEME,
            {
                "type": "http",
                "scheme": "bearer",
                "description": "An account token (sign-up, sign-in, sign-in link) or a door station's token "
                "(pairing). Each operation's `x-netevents-token` says which.",
            },
        )
        for plugin in spec.plugins:
            if isinstance(plugin, MarshmallowPlugin):
                plugin.converter.add_attribute_function(self._enum_component_function())
        for name, response in problem_responses().items():
            spec.components.response(name, response, lazy=True)

    def response_helper(self, response: dict, **kwargs) -> dict:
        # Component responses are error responses (flask-smorest's 422 and default, and ours): they
        # leave as application/problem+json (errors.problem), not as the JSON successes do.
        content = response.get("content") or {}
        if "application/json" in content:
            content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return response

    def schema_helper(self, name: str, definition: dict, schema=None, **kwargs) -> None:
        if schema is not None:
            instance = schema() if isinstance(schema, type) else schema
            self.required_in[name] = list(definition.get("required", []))
            self.required_out[name] = [
                field.data_key or field_name
                for field_name, field in instance.dump_fields.items()
                if field.load_default is ma.missing and not field.metadata.get("may_be_absent")
            ]

    def operation_helper(self, path: str, operations: dict, *, rule, **kwargs) -> None:
        methods = [method for method in operations if not method.startswith("x-")]
        for method in methods:
            operation = operations[method]
            name = rule.endpoint.rpartition(".")[2]  # "checkin.check_in" -> "check_in"
            self._set_operation_id(operation, name if len(methods) == 1 else f"{method}_{name}")
            self._set_security(operation)
            self._add_problem_responses(operation, method, path)
            self._note_schema_use(operation)
        self._mark_required()

    def _set_operation_id(self, operation: dict, default: str) -> None:
        operation_id = operation.setdefault("operationId", default)
        if operation_id in self.operation_ids:
            # Generated clients name their functions after it: it must stay unique, and stable.
            raise ValueError(f"Two operations would be {operation_id!r}: give one of the views another name")
        self.operation_ids.add(operation_id)

    def _set_security(self, operation: dict) -> None:
        token = operation.get(TOKEN)
        if token is None:
            return
        token = Token(token)
        operation["security"] = {Token.public: [], Token.optional: [{}, {BEARER_SCHEME: []}]}.get(
            token, [{BEARER_SCHEME: []}]
        )
        _add_to_description(operation, f"Token: {TOKEN_TEXT[token]}")

    def _add_problem_responses(self, operation: dict, method: str, path: str) -> None:
        responses = operation.setdefault("responses", {})
        statuses = problem_statuses(
            operation,
            method,
            path,
            token=operation.get(TOKEN),
            rate_limited=RATE_LIMIT in operation,
            declared=operation.pop(PROBLEMS, []),
        )
        for status in statuses:
            if str(status) not in {str(key) for key in responses}:
                responses[str(status)] = RESPONSE_NAMES[status]
        if RATE_LIMIT in operation:
            _add_to_description(operation, f"Rate limit: {operation[RATE_LIMIT]}.")
        for status, response in responses.items():
            if isinstance(response, dict):
                response.setdefault("description", _reason_phrase(status))

    def _note_schema_use(self, operation: dict) -> None:
        request = [operation.get("requestBody", {}), operation.get("parameters", [])]
        self.in_requests.update(self._reachable(_refs(request)))
        self.in_responses.update(self._reachable(_refs(operation.get("responses", {}))))

    def _reachable(self, names: Iterator[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(_refs(self.spec.components.schemas.get(name, {})))
        return seen

    def _mark_required(self) -> None:
        """Fields an answer always has are `required`, in schemas that only leave the server."""
        for name in self.in_requests | self.in_responses:
            component = self.spec.components.schemas.get(name)
            if component is None or name not in self.required_in:
                continue
            only_out = name in self.in_responses and name not in self.in_requests
            required = self.required_out[name] if only_out else self.required_in[name]
            if required:
                component["required"] = required
            else:
                component.pop("required", None)

    def _enum_component_function(self) -> Callable:
        plugin = self

        def enum2component(converter, field, ret, **kwargs) -> dict:
            """A marshmallow Enum field (or a field with `enum_name` metadata) refers to a named enum; a
            nullable one is anyOf that or null, as is any other nullable enum (say, `metadata={"enum": ...}`)."""
            if "enum" not in ret:
                return {}
            values = [value for value in ret.pop("enum") if value is not None]
            types = [t for t in _type_list(ret.pop("type", None)) if t != "null"] or _json_types(values)
            enum_schema = {"type": types[0], "enum": values} if types else {"enum": values}
            if isinstance(field, ma.fields.Enum):
                enum_schema = plugin._enum_component(field.enum.__name__, field.enum, enum_schema)
            elif "enum_name" in field.metadata:
                enum_schema = plugin._enum_component(
                    field.metadata["enum_name"], field.metadata["enum_name"], enum_schema
                )
            if field.allow_none:
                ret["anyOf"] = [enum_schema, {"type": "null"}]
                return {}
            ret.update(enum_schema)
            return {}

        return enum2component

    def _enum_component(self, name: str, source: object, enum_schema: dict) -> dict:
        """Register `enum_schema` as component `name` (once per `source`); a reference to it."""
        if name in self.enums:
            if self.enums[name] != source:
                raise ValueError(f"Two different enums are named {name!r} in the document")
        else:
            self.enums[name] = source
            if isinstance(source, str):
                # Values such as "GMT+0" and "GMT0" would make one constant in generated clients.
                enum_schema = {**enum_schema, "x-enum-varnames": _varnames(enum_schema["enum"])}
            self.spec.components.schema(name, enum_schema)
        return self.spec.components.get_ref("schema", name)


def _refs(document) -> Iterator[str]:
    """Names of the schema components a part of the document refers to (not following them)."""
    if isinstance(document, dict):
        ref = document.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            yield ref.rsplit("/", 1)[1]
        for value in document.values():
            yield from _refs(value)
    elif isinstance(document, list):
        for value in document:
            yield from _refs(value)


def _type_list(types) -> list[str]:
    return [types] if isinstance(types, str) else list(types or [])


def _json_types(values: list) -> list[str]:
    """The type of an enum whose field does not say (an Enum by value dumps through a Raw field)."""
    for python_type, json_type in ((bool, "boolean"), (str, "string"), (int, "integer")):
        if values and all(type(value) is python_type for value in values):
            return [json_type]
    return []


def _varnames(values: list[str]) -> list[str]:
    """Constant names for an enum's values: "Etc/GMT-5" -> "ETC_GMT_MINUS_5"."""
    names = []
    for value in values:
        name = re.sub(r"-(?=\d)", "_MINUS_", re.sub(r"\+(?=\d)", "_PLUS_", value))
        names.append(re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_").upper())
    if len(set(names)) != len(names):
        raise ValueError(f"Two values of an enum would have the same constant name: {values}")
    return names


def _add_to_description(operation: dict, text: str) -> None:
    operation["description"] = f"{operation['description']}\n\n{text}" if operation.get("description") else text


def _reason_phrase(status) -> str:
    return HTTPStatus(int(status)).phrase if str(status).isdigit() else "Any other answer"
