from flask import Response

from netevents.accounts.auth import current_user, require_user
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.openapi import Blueprint, Token, access, own_rate_limit, problems
from netevents.people import (
    actions,
    blocks,
    code_budget,
    connections,
    directory,
    exchange_budget,
    exchanges,
    exports,
    network,
    suggestions,
)
from netevents.people.answers import ExchangeReason
from netevents.people.network_schemas import NetworkSchema
from netevents.people.schemas import (
    BlockInputSchema,
    BlockPageSchema,
    BlockSchema,
    ConnectionEventListSchema,
    ConnectionFilterArgsSchema,
    ConnectionListArgsSchema,
    ConnectionPageSchema,
    ConnectionSchema,
    ConnectionUpdateSchema,
    DirectoryArgsSchema,
    DirectoryPageSchema,
    EventActionsSchema,
    EventActionsUpdateSchema,
    ExchangeAdditionSchema,
    ExchangeAnswerSchema,
    ExchangeBatchAnswerSchema,
    ExchangeBatchInputSchema,
    ExchangeInputSchema,
    SuggestionArgsSchema,
    SuggestionListSchema,
)
from netevents.registrations import attended
from netevents.schemas import PageArgsSchema
from netevents.sqlite import done_writing

blp = Blueprint(
    "people",
    __name__,
    url_prefix="/api/v1",
    description="Meeting people: exchanges, connections, blocks, the directory, suggestions",
)


def _download(body, mimetype: str, filename: str) -> Response:
    """A file to save; its connections were read before (the body is streamed after the request's session is
    gone)."""
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _download_doc(content_type: str) -> dict:
    return {"200": {"description": "A download", "content": {content_type: {"schema": {"type": "string"}}}}}


@blp.route("/exchanges", methods=["POST"])
@access(Token.attendee)
@own_rate_limit(exchange_budget.DESCRIPTION)
@blp.doc(description=code_budget.DESCRIPTION)
@blp.arguments(ExchangeInputSchema)
@blp.response(200, ExchangeAnswerSchema)
def record_exchange(data):
    """Scan the badge of someone you met: recorded (with the connection) or rejected, with the reason"""
    user = require_user()
    # The connection is read in the exchange's own transaction: a second one after the commit cost a third of an
    # exchange's CPU (bench/exchange_profile.py), for a few reads of rows this one has just written.
    [answer] = exchanges.with_connections(user.id, [exchanges.record_exchange(user, data)])
    db.session.commit()
    if answer.reason == ExchangeReason.too_many_unknown_codes:
        code_budget.refuse_while_spent(user)  # after the commit: the refusal is kept under its nonce either way
    return answer


@blp.route("/exchanges/batch", methods=["POST"])
@access(Token.attendee)
@own_rate_limit(exchange_budget.DESCRIPTION)
@blp.doc(description=code_budget.DESCRIPTION)
@blp.arguments(ExchangeBatchInputSchema)
@blp.response(200, ExchangeBatchAnswerSchema)
def record_exchange_batch(data):
    """Upload exchanges made offline; applied in scan-time order, answered in the order sent"""
    user = require_user()
    answers = exchanges.with_connections(user.id, exchanges.record_exchanges(user, data["exchanges"]))
    db.session.commit()
    return {"results": answers}


@blp.route("/exchanges/<int:exchange_id>", methods=["PATCH"])
@access(Token.attendee)
@problems(404)
@blp.arguments(ExchangeAdditionSchema)
@blp.response(200, ConnectionSchema)
def add_to_exchange(data, exchange_id):
    """Add tags and a note to a meeting you scanned, after the scan (a bingo round counts the tags as the scan's)"""
    user = require_user()
    connection_id = exchanges.add_to_exchange(user, exchange_id, data)
    db.session.commit()
    done_writing()
    return connections.get_connection(user, connection_id)


@blp.route("/me/connections", methods=["GET"])
@access(Token.attendee)
@blp.arguments(ConnectionListArgsSchema, location="query")
@blp.response(200, ConnectionPageSchema)
def list_connections(args):
    """The people you met, most recent first, as each of them shares with you now"""
    return connections.list_connections(require_user(), **args)


@blp.route("/me/connections/events", methods=["GET"])
@access(Token.attendee)
@blp.response(200, ConnectionEventListSchema)
def connection_events():
    """The events where you met the people in your list, latest first, with how many you met and followed up"""
    return {"items": connections.connection_events(require_user())}


@blp.route("/me/connections.vcf", methods=["GET"])
@access(Token.attendee)
@blp.arguments(ConnectionFilterArgsSchema, location="query")
@blp.doc(responses=_download_doc("text/vcard"))
def connections_vcard(args):
    """Your connections (all, or those the filters keep) as vCards (3.0), with only what each person shares with
    you"""
    views = connections.my_connections(require_user(), **args)
    return _download(exports.vcards(views, actions.tags_in_words(views)), "text/vcard", "connections.vcf")


@blp.route("/me/connections.csv", methods=["GET"])
@access(Token.attendee)
@blp.arguments(ConnectionFilterArgsSchema, location="query")
@blp.doc(responses=_download_doc("text/csv"))
def connections_csv(args):
    """Your connections (all, or those the filters keep) as CSV, with only what each person shares with you"""
    views = connections.my_connections(require_user(), **args)
    return _download(exports.connections_csv(views, actions.tags_in_words(views)), "text/csv", "connections.csv")


@blp.route("/me/connections/<int:connection_id>", methods=["GET"])
@access(Token.attendee)
@blp.response(200, ConnectionSchema)
def get_connection(connection_id):
    """One of your connections"""
    return connections.get_connection(require_user(), connection_id)


@blp.route("/me/connections/<int:connection_id>", methods=["PATCH"])
@access(Token.attendee)
@blp.arguments(ConnectionUpdateSchema)
@blp.response(200, ConnectionSchema)
def update_connection(data, connection_id):
    """Change your own note, tags or follow-up of a connection (only you see them)"""
    view = connections.update_connection(require_user(), connection_id, data)
    db.session.commit()
    return view


@blp.route("/me/connections/<int:connection_id>", methods=["DELETE"])
@access(Token.attendee)
@blp.response(204)
def remove_connection(connection_id):
    """Remove a connection: your note goes, and neither of you sees the other's connections-only details"""
    connections.remove_connection(require_user(), connection_id)
    db.session.commit()


@blp.route("/me/blocks", methods=["GET"])
@access(Token.attendee)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, BlockPageSchema)
def list_blocks(args):
    """The people you blocked"""
    return blocks.my_blocks(require_user(), **args)


@blp.route("/me/blocks", methods=["POST"])
@access(Token.attendee)
@blp.arguments(BlockInputSchema)
@blp.response(201, BlockSchema)
def block(data):
    """Block someone: you are hidden from each other everywhere, your connection ends for both, and you cannot connect"""
    view = blocks.block_asked(require_user(), data["user_id"])
    db.session.commit()
    return view


@blp.route("/me/blocks/<int:user_id>", methods=["DELETE"])
@access(Token.attendee)
@blp.response(204)
def unblock(user_id):
    """Lift your block (the connection it ended stays ended, for both of you)"""
    blocks.unblock(require_user(), user_id)
    db.session.commit()


@blp.route("/events/<int:event_id>/exchange-actions", methods=["GET"])
@access(Token.optional)
@blp.response(200, EventActionsSchema)
def event_actions(event_id):
    """What exchanges at this event can be tagged with: the standard actions and the event's own"""
    return actions.event_actions(event_id, current_user())


@blp.route("/events/<int:event_id>/exchange-actions", methods=["PATCH"])
@access(Token.organizer)
@blp.arguments(EventActionsUpdateSchema)
@blp.response(200, EventActionsSchema)
def update_event_actions(data, event_id):
    """Set the event's own exchange actions (organizers)"""
    event_actions = actions.set_custom_actions(event_id, require_user(), data["custom"], data.get("labels"))
    db.session.commit()
    return event_actions


@blp.route("/events/<int:event_id>/network", methods=["GET"])
@access(Token.organizer)
@blp.response(200, NetworkSchema)
@blp.doc(description=f"{attended.DESCRIPTION}\n\n{network.DESCRIPTION}")
def event_network(event_id):
    """Who met whom at the event (organizers): the graph, anonymised to what people share, and the numbers"""
    return network.event_network(get_organized_event(event_id, require_user()))


@blp.route("/events/<int:event_id>/directory", methods=["GET"])
@access(Token.attendee)
@problems(403)
@blp.arguments(DirectoryArgsSchema, location="query")
@blp.response(200, DirectoryPageSchema)
def event_directory(args, event_id):
    """Who is at the event and chose to be listed, as each shares with you (people confirmed for it, organizers)"""
    return directory.directory(require_user(), event_id, **args)


@blp.route("/events/<int:event_id>/suggestions", methods=["GET"])
@access(Token.attendee)
@problems(403)
@blp.arguments(SuggestionArgsSchema, location="query")
@blp.response(200, SuggestionListSchema)
def event_suggestions(args, event_id):
    """People at the event you have not met, most in common first, each with the reason in words"""
    return {"items": suggestions.suggestions(require_user(), event_id, **args)}
