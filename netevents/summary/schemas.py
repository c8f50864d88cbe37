import marshmallow as ma

from netevents.bingo.schemas import CardSchema
from netevents.dumping import NestedList
from netevents.people.schemas import ConnectionSchema, SuggestionSchema
from netevents.schemas import Boolean


class PeopleYouMetSchema(ma.Schema):
    event_id = ma.fields.Integer(required=True)
    event_title = ma.fields.String(required=True)
    attended = Boolean(required=True, metadata={"description": "Checked in at the door or the join link"})
    met = NestedList(
        ConnectionSchema,
        required=True,
        metadata={"description": "Everyone you met there, either way, as each shares with you now; your notes"},
    )
    bingo = ma.fields.Nested(
        CardSchema, required=True, allow_none=True, metadata={"description": "Your card in the last round"}
    )
    suggested = ma.fields.List(
        ma.fields.Nested(SuggestionSchema),
        required=True,
        metadata={"description": "Three people there you did not meet but should, each with the reason"},
    )
