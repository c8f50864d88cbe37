"""Cards, pure: who gets which squares, which lines a card has, and what its signed squares score.

A card is dealt, not stored: `deal` draws size x size actions from the round's pool with a generator seeded by
the round's random seed and the person's id, so the same person sees the same card in a round, on every host
and after every restart, and each person's card is shuffled differently.
"""

import enum
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime


class LineKind(enum.StrEnum):
    row = "row"
    column = "column"
    diagonal = "diagonal"


@dataclass(frozen=True, slots=True)
class Line:
    kind: LineKind
    #: Rows and columns from 0 (top, left); diagonal 0 runs from the top left, 1 from the top right.
    index: int
    positions: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CompletedLine:
    line: Line
    #: When its last square was signed.
    completed_at: datetime


@dataclass(frozen=True, slots=True)
class Score:
    squares: int
    lines: tuple[CompletedLine, ...]
    #: When the first line was completed; None: no bingo yet.
    bingo_at: datetime | None
    #: When the last square was signed; None: no square yet.
    last_signed_at: datetime | None


def squares_needed(size: int) -> int:
    return size * size


def deal(actions: Sequence[str], size: int, seed: str, user_id: int) -> tuple[str, ...]:
    """One person's card: size x size of the actions, in their own order (row by row from the top left)."""
    if len(actions) < squares_needed(size):
        raise ValueError(f"a {size}x{size} card needs {squares_needed(size)} actions, not {len(actions)}")
    # A str seed is hashed with SHA-512 by `random` (version 2): the same on every platform and Python 3.
    return tuple(random.Random(f"{seed}:{user_id}").sample(list(actions), squares_needed(size)))


def lines_of(size: int) -> tuple[Line, ...]:
    """Every row, column and both diagonals of a card."""
    rows = [Line(LineKind.row, r, tuple(r * size + c for c in range(size))) for r in range(size)]
    columns = [Line(LineKind.column, c, tuple(r * size + c for r in range(size))) for c in range(size)]
    diagonals = [
        Line(LineKind.diagonal, 0, tuple(i * size + i for i in range(size))),
        Line(LineKind.diagonal, 1, tuple(i * size + (size - 1 - i) for i in range(size))),
    ]
    return tuple(rows + columns + diagonals)


def score(size: int, signed: Mapping[int, datetime]) -> Score:
    """What a card's signed squares (position -> when) score: its completed lines and when bingo came."""
    completed = tuple(
        CompletedLine(line, max(signed[position] for position in line.positions))
        for line in lines_of(size)
        if all(position in signed for position in line.positions)
    )
    return Score(
        squares=len(signed),
        lines=completed,
        bingo_at=min((line.completed_at for line in completed), default=None),
        last_signed_at=max(signed.values(), default=None),
    )
