"""Long lists dumped without marshmallow's per-value machinery, still described and shaped by their schema.

marshmallow looks every field of every object up at dump time; a summary of 200 connections dumps some 50,000
values that way (11 ms of a 50 ms answer). `NestedList` is a `List(Nested(schema))`, documented as one (apispec
reads its class and its `inner` field), whose dump is a function built once from the same schema's fields: the
same names, the same values (tests/test_dumping.py compares the two). It knows the field types views are made of
and refuses any other on its first dump, so the first test of an answer using it finds out.
"""

from collections.abc import Callable, Mapping
from typing import Any

import marshmallow as ma

Dump = Callable[[Any], Any]


class NestedList(ma.fields.List):
    """`List(Nested(schema))`, dumped by plain functions built from `schema` on first use."""

    def __init__(self, schema: type[ma.Schema], **kwargs):
        super().__init__(ma.fields.Nested(schema), **kwargs)
        self._dump_each: Dump | None = None

    def _serialize(self, value, attr, obj, **kwargs) -> list | None:
        if value is None:
            return None
        if self._dump_each is None:
            self._dump_each = dumper(self.inner)
        return [self._dump_each(item) for item in value]


def dumper(field: ma.fields.Field) -> Dump:
    """A function giving what `field` dumps for a value (the field types of views; TypeError for another)."""
    convert = _converter(field)
    return (lambda value: value) if convert is None else (lambda value: None if value is None else convert(value))


def _converter(field: ma.fields.Field) -> Dump | None:
    """What a value of `field` (never None) is dumped as; None: the value itself. Strings, integers and booleans
    are kept as they are: views hold them as `str`, `int` and `bool` (tests/test_dumping.py compares with
    marshmallow), and a summary dumps thousands of them."""
    if isinstance(field, ma.fields.Nested):
        return _object_dumper(field.schema)
    if isinstance(field, ma.fields.List):
        convert_item = _converter(field.inner)
        if convert_item is None:
            return list
        return lambda values: [None if item is None else convert_item(item) for item in values]
    if isinstance(field, ma.fields.DateTime) and field.format == "iso":
        return _isoformat
    if isinstance(field, ma.fields.Boolean | ma.fields.Integer | ma.fields.String):
        return None
    raise TypeError(f"{type(field).__name__} is not dumped plainly; add it to netevents/dumping.py")


def _object_dumper(schema: ma.Schema) -> Dump:
    """An object (or a mapping, like a link) as the schema dumps it: its fields, by name, in the schema's order."""
    fields = [
        (field.data_key or name, field.attribute or name, _converter(field))
        for name, field in schema.dump_fields.items()
    ]

    def dump(item):
        dumped = {}
        if isinstance(item, Mapping):
            for name, key, convert in fields:
                if key in item:
                    value = item[key]
                    dumped[name] = value if convert is None or value is None else convert(value)
            return dumped
        for name, key, convert in fields:
            value = getattr(item, key)
            dumped[name] = value if convert is None or value is None else convert(value)
        return dumped

    return dump


def _isoformat(value) -> str:
    return value.isoformat()
