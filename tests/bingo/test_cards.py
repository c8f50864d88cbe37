"""Cards, pure: each person's own shuffle of the round's actions, the same every time; lines and what they score."""

from datetime import UTC, datetime, timedelta

import pytest

from netevents.bingo.cards import LineKind, deal, lines_of, score

POOL = tuple(f"action_{i}" for i in range(25))
T0 = datetime(2031, 5, 4, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize("size", [3, 4, 5])
def test_a_card_has_size_squared_different_actions_from_the_pool(size):
    card = deal(POOL[: size * size], size, "seed", 7)
    assert len(card) == size * size
    assert sorted(card) == sorted(POOL[: size * size])  # all of them, each once


def test_the_same_person_gets_the_same_card_in_a_round_and_others_their_own():
    cards = {user_id: deal(POOL[:9], 3, "round-seed", user_id) for user_id in range(1, 21)}
    assert all(deal(POOL[:9], 3, "round-seed", user_id) == card for user_id, card in cards.items())
    assert len(set(cards.values())) >= 18  # 9! orders: twenty people nearly always differ
    assert deal(POOL[:9], 3, "another-round", 1) != cards[1] or deal(POOL[:9], 3, "a third", 1) != cards[1]


def test_a_card_is_the_same_on_every_host_and_python():
    # random.Random seeded with a str hashes it with SHA-512: a stable deal, pinned here.
    assert deal(POOL[:9], 3, "pinned", 42) == deal(tuple(POOL[:9]), 3, "pinned", 42)
    assert deal(POOL[:9], 3, "pinned", 42) == tuple(
        f"action_{i}" for i in (8, 4, 7, 6, 2, 5, 0, 1, 3)
    )  # pinned once: a change here reshuffles every running round's cards


def test_a_pool_larger_than_the_card_gives_each_person_a_draw_of_it():
    cards = [deal(POOL, 3, "seed", user_id) for user_id in range(1, 11)]
    assert all(len(set(card)) == 9 and set(card) <= set(POOL) for card in cards)
    assert len({frozenset(card) for card in cards}) > 1


def test_too_few_actions_for_the_squares_is_refused():
    with pytest.raises(ValueError, match="needs 16"):
        deal(POOL[:15], 4, "seed", 1)


@pytest.mark.parametrize(("size", "count"), [(3, 8), (4, 10), (5, 12)])
def test_a_card_has_its_rows_columns_and_both_diagonals(size, count):
    lines = lines_of(size)
    assert len(lines) == count
    assert all(len(line.positions) == size for line in lines)


def test_the_lines_of_a_3x3_card():
    lines = {(line.kind, line.index): line.positions for line in lines_of(3)}
    assert lines[(LineKind.row, 1)] == (3, 4, 5)
    assert lines[(LineKind.column, 2)] == (2, 5, 8)
    assert lines[(LineKind.diagonal, 0)] == (0, 4, 8)
    assert lines[(LineKind.diagonal, 1)] == (2, 4, 6)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_no_line_no_bingo():
    result = score(3, {0: at(1), 1: at(2), 3: at(3), 5: at(4)})
    assert (result.squares, result.lines, result.bingo_at, result.last_signed_at) == (4, (), None, at(4))


def test_an_empty_card_scores_nothing():
    result = score(4, {})
    assert (result.squares, result.lines, result.bingo_at, result.last_signed_at) == (0, (), None, None)


@pytest.mark.parametrize(
    ("positions", "kind", "index"),
    [
        ((6, 7, 8), LineKind.row, 2),
        ((1, 4, 7), LineKind.column, 1),
        ((0, 4, 8), LineKind.diagonal, 0),
        ((2, 4, 6), LineKind.diagonal, 1),
    ],
)
def test_a_line_is_completed_when_its_last_square_is_signed(positions, kind, index):
    signed = {position: at(minute) for minute, position in enumerate(positions, start=1)}
    [line] = score(3, signed).lines
    assert (line.line.kind, line.line.index, line.completed_at) == (kind, index, at(len(positions)))


def test_bingo_comes_with_the_first_line_completed_by_scan_time():
    # The middle column is done at minute 5, the top row at minute 9, the left-to-right diagonal at minute 7.
    signed = {0: at(9), 1: at(1), 2: at(2), 4: at(5), 7: at(3), 8: at(7)}
    result = score(3, signed)
    done = {(line.line.kind, line.line.index): line.completed_at for line in result.lines}
    assert done == {(LineKind.row, 0): at(9), (LineKind.column, 1): at(5), (LineKind.diagonal, 0): at(9)}
    assert result.bingo_at == at(5)


def test_a_full_5x5_card_completes_all_twelve_lines():
    result = score(5, {position: at(position) for position in range(25)})
    assert len(result.lines) == 12
    assert result.bingo_at == at(4)  # the top row, done first
