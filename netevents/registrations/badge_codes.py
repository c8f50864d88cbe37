"""Badge short codes: 8 characters under the QR code, for typing when a camera will not focus.

Crockford's base32 (no I, L, O or U): what a person reads off a badge and types is never ambiguous, and a
typed O, I or L is read as the 0 or 1 it must have been. 40 random bits, unique, never derived from ids; a
code names a badge for recording that two people met, not for seeing the badge (the secret does that), and
typing unknown codes is limited per person (netevents/people/code_budget.py).
"""

import re
import secrets

#: Crockford's base32 alphabet.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
#: Characters a person may type for another, and what they mean.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
#: Spaces and dashes a person types between the two halves ("7KQ4-M2XZ").
_SEPARATORS = re.compile(r"[\s-]+")
_CODE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")


def new_badge_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_badge_code(typed: str) -> str | None:
    """The code a person typed, as stored; None if it cannot be one (wrong length or characters)."""
    code = _SEPARATORS.sub("", typed).upper().translate(_READ_AS)
    return code if _CODE.fullmatch(code) else None


def display_badge_code(code: str) -> str:
    """As printed: two halves of four, easier to read aloud and to type."""
    return f"{code[:4]}-{code[4:]}"
