"""Schema building blocks shared by every domain: strict input; bounded integers, times and strings; pagination.

Every value a client sends goes through one of these types (tests/api/test_input_limits.py checks it).
"""

import re
import unicodedata
from datetime import UTC, datetime

import marshmallow as ma
from flask import current_app
from marshmallow import validate

MAX_PER_PAGE = 100


class StrictSchema(ma.Schema):
    """Unknown fields are an error, so a typo never silently does nothing."""

    class Meta:
        unknown = ma.RAISE


#: Ids are INTEGER columns, 32 bits on PostgreSQL: a larger number names nothing. Paths (netevents.paths) and
#: bodies refuse what is outside 1..MAX_ID alike.
MAX_ID = 2**31 - 1

#: Times a client may send, in UTC: wide enough for any real use and for arithmetic on them (a day earlier, a
#: year later), narrow enough that no offset pushes them outside what Python and the databases can hold.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)


class Integer(ma.fields.Integer):
    """A whole number between bounds. In a body it is a JSON integer: "1", 1.0 and true are not; in a query
    string, digits (`query=True`)."""

    def __init__(self, minimum: int, maximum: int, *, query: bool = False, error: str | None = None, **kwargs):
        validators = [validate.Range(min=minimum, max=maximum, error=error)]
        extra = kwargs.pop("validate", None)
        validators += [] if extra is None else [extra] if callable(extra) else list(extra)
        super().__init__(strict=not query, validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):  # a query string's: digits, no more than any bound has (int() reads 4300)
            if not re.fullmatch(r"[+-]?[0-9]+", value):
                raise self.make_error("invalid", input=value)
            if len(value) > 20:
                raise self.make_error("too_large", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


def Id(*, query: bool = False, **kwargs) -> Integer:
    """The id of something (1 to MAX_ID)."""
    return Integer(1, MAX_ID, query=query, error="Use the id of an existing object (1 to {max}).", **kwargs)


class Boolean(ma.fields.Boolean):
    """true or false. In a body, JSON's `true` and `false` only: "1", "true", 1, 0 and -0 are not (marshmallow's
    Boolean takes them all, and 1 == True in Python); in a query string (`query=True`), the words true and false."""

    def __init__(self, *, query: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.query = query
        self.error_messages["invalid"] = "Use true or false." if query else "Send true or false (JSON's, unquoted)."
        self.error_messages["null"] = "Send true or false, not null."

    def _deserialize(self, value, attr, data, **kwargs):
        if self.query and isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        if value is True or value is False:
            return value
        raise self.make_error("invalid", input=value)


#: Unicode's control characters (category Cc, from NUL to the C1 controls) and its line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_IN_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
#: Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a name or a title, U+202E
#: shows "Ada\u202eexe.pdf" as "Adafdp.exe" and can turn the rest of a line (a CSV row, a list) around. Refused in
#: one-line text and in private notes (shown in lists and exported to vCards and CSV beside other people's names);
#: descriptions may carry them, for right-to-left writing.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
#: The joiners: they shape what is around them, inside an emoji sequence (U+200D in 👩‍💻) and in Indic and Persian
#: writing (U+200D, U+200C), and do nothing beside an ASCII character or at an end.
_JOINERS = frozenset("\u200c\u200d")
#: A flag emoji's tag sequence (🏴 then tag letters then CANCEL TAG: Scotland's flag), whose tags are category Cf.
_FLAG_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


#: Letters and symbols that show as nothing, or as a box where a font lacks them: the Hangul fillers (U+115F, U+1160,
#: U+3164, U+FFA0), placeholders for a missing part of a syllable that Korean names, written in syllables, never need,
#: and the Braille blank (U+2800). A name made of them is blank on screen; one inside a name makes "Ada\u3164Lovelace"
#: look like "Ada Lovelace".
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _shows(char: str) -> bool:
    """Whether `char` shows on its own: a letter, digit, punctuation or symbol that is not blank-looking (not a
    space, a format character, a combining mark without a base, or an unassigned code point)."""
    return unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_LOOKING


def _invisible_character(text: str) -> int | None:
    """The index of the first invisible format character (category Cf: zero-width space U+200B, byte order mark
    U+FEFF, direction marks U+200E/U+200F, word joiner U+2060, soft hyphen U+00AD ...) in `text`, None if none.
    In a name they make two names that look alike differ, and a search for the one miss the other. A joiner
    between two non-ASCII characters that are not format characters themselves, and the tags of a flag, are kept."""
    if text.isascii():
        return None
    flag_tags = {
        index for match in _FLAG_TAG_SEQUENCE.finditer(text) for index in range(match.start() + 1, match.end())
    }
    for index, char in enumerate(text):
        if unicodedata.category(char) != "Cf" or index in flag_tags:
            continue
        if char in _JOINERS and 0 < index < len(text) - 1 and _joins(text[index - 1]) and _joins(text[index + 1]):
            continue
        return index
    return None


def _joins(neighbour: str) -> bool:
    return not neighbour.isascii() and not neighbour.isspace() and unicodedata.category(neighbour) != "Cf"


def control_character(
    text: str,
    *,
    multiline: bool,
    allow_format_characters: bool | None = None,
    visible: bool = False,
    field: str | None = None,
) -> str | None:
    """What is wrong with `text`'s characters, in words naming `field`, the character and the fix; None if nothing.
    `allow_format_characters`: bidirectional controls, invisible and blank-looking characters may stay (by default
    in multiline text, not in one line). `visible`: the text must show something (a name, a title)."""
    named = field.replace("_", " ") if field else "text"
    the_text = f"The {named}"
    found = (_CONTROL_IN_MULTILINE if multiline else _CONTROL).search(text)
    if found is None and visible and not any(_shows(char) for char in text):
        return (
            f"{the_text} has no visible letter: type the {named} in letters, digits or signs that show (spaces, "
            "invisible and blank-looking characters alone show nothing)."
        )
    if found is None and not (multiline if allow_format_characters is None else allow_format_characters):
        bidi = _BIDI_CONTROL.search(text)
        if bidi is not None:
            where = f"U+{ord(bidi.group()):04X} at character {bidi.start() + 1}"
            return (
                f"{the_text} contains a bidirectional control character ({where}), which would show it in another "
                "order than it is written; remove that character and send the text as it reads."
            )
        invisible = _invisible_character(text)
        if invisible is not None:
            char = text[invisible]
            what = unicodedata.name(char, "a format character").lower()
            return (
                f"{the_text} contains an invisible character (U+{ord(char):04X}, {what}, at character "
                f"{invisible + 1}), which would make it look like other text than it is; remove that character."
            )
        blank = next((index for index, char in enumerate(text) if char in _BLANK_LOOKING), None)
        if blank is not None:
            char = text[blank]
            return (
                f"{the_text} contains a blank-looking character (U+{ord(char):04X}, {unicodedata.name(char).lower()}, "
                f"at character {blank + 1}), which shows as a space or nothing and would make it look like other text "
                "than it is; remove that character (type a plain space where one is meant)."
            )
    if found is None:
        return None
    where = f"U+{ord(found.group()):04X} at character {found.start() + 1}"
    if multiline:
        return f"{the_text} contains a control character ({where}); only line breaks and tabs are allowed."
    return f"{the_text} contains a control character ({where}); it is one line of text, without line breaks or tabs."


class TrimmedString(ma.fields.String):
    """One line of text, trimmed: control characters (CR, LF, tab, NUL, ...) are refused, so a name or a title
    can go into an email header, a CSV cell or the door's screen as it is. `multiline=True`: line breaks (a CRLF
    is read as one) and tabs are allowed, for descriptions and notes. `allow_format_characters`, `visible`: see
    `control_character`."""

    def __init__(
        self,
        *,
        multiline: bool = False,
        trim: bool = True,
        allow_format_characters: bool | None = None,
        visible: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.multiline = multiline
        self.trim = trim
        self.allow_format_characters = allow_format_characters
        self.visible = visible

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        if self.multiline:
            result = result.replace("\r\n", "\n")
        problem = control_character(
            result,
            multiline=self.multiline,
            allow_format_characters=self.allow_format_characters,
            visible=self.visible,
            field=self.data_key or self.name,
        )
        if problem:
            raise ma.ValidationError(problem)
        return result.strip() if self.trim else result


def Text(
    max_length: int, *, required: bool = False, min_length: int = 0, multiline: bool = False, **kwargs
) -> TrimmedString:
    """A trimmed string with a length limit (every string a client sends has one); one line unless `multiline`."""
    return TrimmedString(
        required=required, multiline=multiline, validate=validate.Length(min=min_length, max=max_length), **kwargs
    )


def Name(max_length: int, **kwargs) -> TrimmedString:
    """A name or a title: one line that must show at least one letter, digit or sign (not only spaces, invisible or
    blank-looking characters), since people find and tell things apart by it."""
    return Text(max_length, min_length=1, visible=True, **kwargs)


def Note(max_length: int, **kwargs) -> TrimmedString:
    """A person's private note: lines and tabs, but no bidirectional controls or invisible characters (a note is
    listed and exported beside names, where one would turn what follows around)."""
    return Text(max_length, multiline=True, allow_format_characters=False, **kwargs)


class Email(ma.fields.Email):
    """An email address (at most 254 characters), without control characters: marshmallow's check lets some
    through inside a quoted local part ("a\\x01"@example.org), and an address goes into email headers."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Length(max=254), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        problem = control_character(result, multiline=False)
        if problem:
            raise ma.ValidationError(problem)
        return result


class Url(ma.fields.Url):
    """An http(s) URL of at most 500 characters, without control characters."""

    def __init__(self, **kwargs):
        super().__init__(schemes={"http", "https"}, validate=validate.Length(max=500), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            problem = control_character(value, multiline=False)
            if problem:
                raise ma.ValidationError(problem)
        return super()._deserialize(value, attr, data, **kwargs)


class _DistinctTags(ma.fields.List):
    """A list of labels, each kept once: entries that differ only by case ("Rust", "rust") are one label, in the
    first spelling sent, where it was sent (the entries are trimmed already). Its limits hold for the list sent."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        tags = super().deserialize(value, attr, data, **kwargs)  # validated as sent
        if not isinstance(tags, list):
            return tags  # absent, or null where allowed
        kept: dict[str, str] = {}
        for tag in tags:
            kept.setdefault(tag.casefold(), tag)
        return list(kept.values())


def TagList(*, max_items: int = 20, max_length: int = 40, **kwargs) -> ma.fields.List:
    """A short list of short labels, e.g. topics, each once whatever its case."""
    return _DistinctTags(
        TrimmedString(validate=validate.Length(min=1, max=max_length)),
        validate=validate.Length(max=max_items),
        **kwargs,
    )


class AwareDateTime(ma.fields.AwareDateTime):
    """ISO 8601 with an offset in and out; a time without an offset is refused, not guessed, and so is one
    outside EARLIEST..LATEST (in UTC: 9999-12-31T23:59:59-14:00 is past what Python's datetime can hold)."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        # Python's parser stops reading at a NUL ("2026-01-01T10:00:00\x00junk" would be a time).
        if isinstance(value, str) and control_character(value, multiline=False):
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        result = super()._deserialize(value, attr, data, **kwargs)
        try:
            in_range = EARLIEST <= result.astimezone(UTC) < LATEST
        except OverflowError:
            in_range = False
        if not in_range:
            raise ma.ValidationError(
                f"Use a time from {EARLIEST.year} to {LATEST.year - 1} with its offset, like 2026-05-01T18:30:00+02:00."
            )
        return result

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
    page = Integer(1, 100_000, query=True, load_default=1)
    per_page = Integer(1, MAX_PER_PAGE, query=True, load_default=20)


class PageMetaSchema(ma.Schema):
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer()
    pages = ma.fields.Integer()


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A page envelope: {"items": [...], "page": 1, "per_page": 20, "total": 42, "pages": 3}."""
    return type(name, (PageMetaSchema,), {"items": ma.fields.List(ma.fields.Nested(item_schema))})
