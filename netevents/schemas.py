"""Schema building blocks shared by every domain: strict input, bounded strings, pagination."""

from datetime import UTC

import marshmallow as ma
from flask import current_app
from marshmallow import validate

MAX_PER_PAGE = 100


class StrictSchema(ma.Schema):
    """Unknown fields are an error, so a typo never silently does nothing."""

    class Meta:
        unknown = ma.RAISE


def Text(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs) -> ma.fields.String:
    """A trimmed string with a length limit (every string a client sends has one)."""
    return TrimmedString(required=required, validate=validate.Length(min=min_length, max=max_length), **kwargs)


class TrimmedString(ma.fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        return result.strip()


def TagList(*, max_items: int = 20, max_length: int = 40, **kwargs) -> ma.fields.List:
    """A short list of short labels, e.g. topics."""
    return ma.fields.List(
        TrimmedString(validate=validate.Length(min=1, max=max_length)),
        validate=validate.Length(max=max_items),
        **kwargs,
    )


class AwareDateTime(ma.fields.AwareDateTime):
    """ISO 8601 with an offset in and out; a time without an offset is refused, not guessed."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class SiteUrl(ma.fields.Function):
    """A path on this site computed by `path(obj)`, sent as an absolute URL (NETEVENTS_BASE_URL + path), the
    address emails and badge QR codes carry too."""

    def __init__(self, path, **kwargs):
        metadata = {"type": "string", "format": "uri", **kwargs.pop("metadata", {})}
        super().__init__(path, metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        path = super()._serialize(value, attr, obj, **kwargs)
        return None if path is None else current_app.config["BASE_URL"] + path


class PageArgsSchema(StrictSchema):
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageMetaSchema(ma.Schema):
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer()
    pages = ma.fields.Integer()


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A page envelope: {"items": [...], "page": 1, "per_page": 20, "total": 42, "pages": 3}."""
    return type(name, (PageMetaSchema,), {"items": ma.fields.List(ma.fields.Nested(item_schema))})
