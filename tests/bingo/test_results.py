"""The live leaderboard and a round's summary, checked against small hand-computed rooms."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from netevents.bingo.models import BingoRound, BingoSquare
from netevents.db import utcnow
from netevents.extensions import db
from tests.api.test_conventions import assert_problem
from tests.bingo.conftest import actions_at

NINE = tuple(f"a{i}" for i in range(9))


def sign_positions(card_owner, card, positions, signers, start, first_second):
    """`card_owner` scans one signer per position, with that square's action, at start + 1s, 2s, ..."""
    for offset, (position, signer) in enumerate(zip(positions, signers, strict=False)):
        [action] = actions_at(card, [position])
        at = start + timedelta(seconds=first_second + offset)
        card_owner.sign(signer, action, scanned_at=at.isoformat())


@pytest.fixture
def played(organizer, player, make):
    """Ada has a line; Bob four squares; Cy three, before Di's three; Eve none. All listed in the directory."""
    ada, bob, cy, di, eve = (
        player(n, directory_opt_in=True) for n in ("Ada Lovelace", "Bob Builder", "Cy Young", "Di Ford", "Eve Moss")
    )
    helpers = [player(f"Helper {i}") for i in range(4)]
    round_ = organizer.start_round(actions=NINE)
    start = datetime.fromisoformat(round_["started_at"])
    sign_positions(ada, ada.card(), (3, 4, 5), helpers, start, 20)  # the middle row, done at +22s
    sign_positions(bob, bob.card(), (0, 1, 3, 5), helpers, start, 1)
    sign_positions(cy, cy.card(), (0, 1, 3), helpers, start, 5)  # done at +7s
    sign_positions(di, di.card(), (0, 1, 3), helpers, start, 10)  # done at +12s
    return {"round": round_, "start": start, "ada": ada, "bob": bob, "cy": cy, "di": di, "eve": eve, "helpers": helpers}


def board(entries):
    return [(e["rank"], e["name"], e["lines"], e["squares_signed"]) for e in entries]


def test_the_leaderboard_ranks_lines_then_squares_then_who_got_there_first(organizer, played):
    leaderboard = played["bob"].leaderboard()
    assert leaderboard["round"]["id"] == played["round"]["id"]
    assert board(leaderboard["items"]) == [
        (1, "Ada Lovelace", 1, 3),
        (2, "Bob Builder", 0, 4),
        (3, "Cy Young", 0, 3),
        (4, "Di Ford", 0, 3),
    ]
    [ada] = [e for e in leaderboard["items"] if e["name"] == "Ada Lovelace"]
    assert datetime.fromisoformat(ada["bingo_at"]) == played["start"] + timedelta(seconds=22)
    assert [e["you"] for e in leaderboard["items"]] == [False, True, False, False]
    assert organizer.get("/leaderboard").json["items"] == [{**e, "you": False} for e in leaderboard["items"]]


def test_the_leaderboard_hides_whom_a_block_hides_and_ranks_without_a_gap(played):
    di, bob = played["di"], played["bob"]
    assert di.client.post("/api/v1/me/blocks", headers=di.headers, json={"user_id": bob.user.id}).status_code == 201
    assert board(bob.leaderboard()["items"]) == [
        (1, "Ada Lovelace", 1, 3),
        (2, "Bob Builder", 0, 4),
        (3, "Cy Young", 0, 3),
    ]
    # Di does not see Bob, second: the ranks she sees run 1, 2, 3, so no missing number points at him.
    assert board(di.leaderboard()["items"]) == [
        (1, "Ada Lovelace", 1, 3),
        (2, "Cy Young", 0, 3),
        (3, "Di Ford", 0, 3),
    ]
    assert di.leaderboard()["total"] == 3


def test_the_rooms_leaderboard_keeps_a_player_who_blocked_the_organizer_as_attendee(organizer, played):
    """The organizers' leaderboard is on the projector: a block with the organizer does not take a player out of
    the room's ranking; they play on as "Attendee", with no number to find them by."""
    bob = played["bob"]
    blocked = bob.client.post("/api/v1/me/blocks", headers=bob.headers, json={"user_id": organizer.event.owner.id})
    assert blocked.status_code == 201, blocked.json
    assert blocked.json["name"] == organizer.event.owner.name  # the event's page names its organizers
    items = organizer.get("/leaderboard").json["items"]
    assert board(items) == [
        (1, "Ada Lovelace", 1, 3),
        (2, "Attendee", 0, 4),
        (3, "Cy Young", 0, 3),
        (4, "Di Ford", 0, 3),
    ]
    assert items[1]["user_id"] is None and None not in [items[0]["user_id"], items[2]["user_id"]]


def test_an_attendee_named_as_attendee_carries_no_number(organizer, played):
    bob = played["bob"]
    assert bob.client.patch("/api/v1/me", headers=bob.headers, json={"directory_opt_in": False}).status_code == 200
    [seen_by_cy] = [e for e in played["cy"].leaderboard()["items"] if e["rank"] == 2]
    assert (seen_by_cy["name"], seen_by_cy["user_id"]) == ("Attendee", None)
    # Organizers can open any attendee's card by number: theirs keeps it, under the same "Attendee".
    [seen_by_organizer] = [e for e in organizer.get("/leaderboard").json["items"] if e["rank"] == 2]
    assert (seen_by_organizer["name"], seen_by_organizer["user_id"]) == ("Attendee", bob.user.id)
    assert [e["user_id"] for e in bob.leaderboard()["items"] if e["you"]] == [bob.user.id]


def test_a_block_of_the_leader_leaves_no_rank_1_missing(played):
    ada, bob = played["ada"], played["bob"]
    assert ada.client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": bob.user.id}).status_code == 201
    assert [(e["rank"], e["name"]) for e in bob.leaderboard()["items"]] == [
        (1, "Bob Builder"),
        (2, "Cy Young"),
        (3, "Di Ford"),
    ]


def test_the_leaderboard_comes_in_pages(organizer, played):
    first = played["bob"].leaderboard(per_page=3)
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 3, 4, 2)
    assert board(first["items"]) == [(1, "Ada Lovelace", 1, 3), (2, "Bob Builder", 0, 4), (3, "Cy Young", 0, 3)]
    second = played["bob"].leaderboard(per_page=3, page=2)
    assert board(second["items"]) == [(4, "Di Ford", 0, 3)] and second["round"]["id"] == played["round"]["id"]
    assert played["bob"].leaderboard(page=5)["items"] == []
    too_many = organizer.get("/leaderboard", per_page=101)
    assert too_many.status_code == 422 and "per_page" in too_many.json["errors"]


def test_the_leaderboard_uses_names_as_people_share_them_now(played):
    ada = played["ada"]
    renamed = ada.client.patch("/api/v1/me", headers=ada.headers, json={"name": "Ada King"})
    assert renamed.status_code == 200, renamed.json
    assert played["cy"].leaderboard()["items"][0]["name"] == "Ada King"


def test_the_leaderboard_names_only_people_listed_in_the_directory(organizer, played):
    # The leaderboard is on the projector: someone who left the directory plays on as "Attendee", but sees
    # their own name.
    bob = played["bob"]
    unlisted = bob.client.patch("/api/v1/me", headers=bob.headers, json={"directory_opt_in": False})
    assert unlisted.status_code == 200, unlisted.json
    for viewer in (played["cy"], organizer):
        names = (
            [entry["name"] for entry in viewer.get("/leaderboard").json["items"]]
            if viewer is organizer
            else [entry["name"] for entry in viewer.leaderboard()["items"]]
        )
        assert "Bob Builder" not in names and "Attendee" in names and "Ada Lovelace" in names
    assert [entry["name"] for entry in bob.leaderboard()["items"] if entry["you"]] == ["Bob Builder"]


def test_a_card_shows_its_signers_names_and_hides_a_blocked_one(played):
    ada = played["ada"]
    names = sorted(s["signed_by"]["name"] for s in ada.card()["squares"] if s["signed"])
    assert names == ["Helper 0", "Helper 1", "Helper 2"]
    helper_id = next(s["signed_by"]["user_id"] for s in ada.card()["squares"] if s["signed"])
    assert ada.client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": helper_id}).status_code == 201
    card = ada.card()
    assert card["squares_signed"] == 3 and card["bingo"] is True  # the square stays signed, by nobody shown
    assert sorted(s["signed_by"] is None for s in card["squares"] if s["signed"]) == [False, False, True]


def test_a_signer_who_deletes_their_account_leaves_every_square_signed_by_a_former_attendee(organizer, played):
    """Helper 0 signed a square of each of the four cards, then deletes their account. The squares are the card
    owners' achievements: they stay signed, lines and bingos with them, by "a former attendee" with no id, name or
    meeting of theirs left. Their meetings go (they were theirs too), so the summary counts fewer exchanges and
    connections, but the same squares, players and bingos."""
    ada, helper = played["ada"], played["helpers"][0]
    helper_id = helper.user.id
    summary_path = f"/rounds/{played['round']['id']}/summary"
    card_before, board_before = ada.card(), board(played["bob"].leaderboard()["items"])
    summary_before = organizer.get(summary_path).json
    db.session.commit()

    assert helper.client.delete("/api/v1/me", headers=helper.headers).status_code == 204

    card = ada.card()
    assert (card["squares_signed"], card["bingo"], card["lines"]) == (3, True, card_before["lines"])
    signers = sorted(
        (s["signed_by"]["name"], s["signed_by"]["user_id"] is None) for s in card["squares"] if s["signed"]
    )
    assert signers == [("A former attendee", True), ("Helper 1", False), ("Helper 2", False)]
    assert board(played["bob"].leaderboard()["items"]) == board_before
    assert board(organizer.get("/leaderboard").json["items"]) == board_before
    summary = organizer.get(summary_path).json
    changed = {key: (summary_before[key], summary[key]) for key in summary if summary[key] != summary_before[key]}
    assert {key: value for key, value in changed.items() if key != "round"} == {
        "exchanges": (summary_before["exchanges"], summary_before["exchanges"] - 4),
        "connections_made": (summary_before["connections_made"], summary_before["connections_made"] - 4),
        "attendees": (summary_before["attendees"], summary_before["attendees"] - 1),
        "attendees_met_someone_new": (
            summary_before["attendees_met_someone_new"],
            summary_before["attendees_met_someone_new"] - 1,
        ),
        "met_someone_new_share": (summary_before["met_someone_new_share"], summary["met_someone_new_share"]),
    }
    assert (summary["squares_signed"], summary["players"], summary["bingos"]) == (13, 4, 1)
    # Nothing of theirs is left in the squares: no id, no meeting.
    former = db.session.scalars(select(BingoSquare).where(BingoSquare.signer_id.is_(None))).all()
    assert len(former) == 4 and all(square.exchange_id is None for square in former)
    assert db.session.scalar(select(func.count()).where(BingoSquare.signer_id == helper_id)) == 0


def test_the_summary_on_a_small_room(organizer, player):
    """Six attendees. Ada and Bob met before the round. During it: Ada-Bob again, Ada-Cy (new, same company),
    Ed-Cy and Cy-Ed (one new pair, two companies), Di-Ed (new, Di gave no company). After it: Ed-Ada.

    Connections made: Ada-Cy, Cy-Ed, Di-Ed = 3. Attendees who met someone new: Ada, Cy, Ed, Di = 4 of 6
    (Bob only met Ada again, Fay nobody). Pairs with both companies: Ada-Cy, Cy-Ed = 2, of which Cy-Ed is
    cross-company = 1. Exchanges during the round: 5. Squares ("introduced"): Ada's (Bob), Ed's (Cy), Cy's (Ed),
    Di's (Ed) = 4; Ada-Cy finds Ada's square taken."""
    ada = player("Ada Lovelace", company="Analytical")
    bob = player("Bob Builder", company="Cranes")
    cy = player("Cy Young", company="ANALYTICAL")
    di = player("Di Ford")
    ed = player("Ed Stone", company="Cranes")
    player("Fay Wray", company="Pictures")
    ada.sign(bob, "introduced", scanned_at=(utcnow() - timedelta(minutes=5)).isoformat())
    round_ = organizer.start_round(actions=[*NINE[:8], "introduced"])
    for scanner, scanned in ((ada, bob), (ada, cy), (ed, cy), (cy, ed), (di, ed)):
        scanner.sign(scanned, "introduced")
    organizer.end(round_["id"])
    ed.sign(ada, "introduced")

    response = organizer.get(f"/rounds/{round_['id']}/summary")
    assert response.status_code == 200, response.json
    summary = response.json
    assert summary["round"]["id"] == round_["id"] and summary["round"]["running"] is False
    assert {key: value for key, value in summary.items() if key != "round"} == {
        "exchanges": 5,
        "connections_made": 3,
        "attendees": 6,
        "attendees_met_someone_new": 4,
        "met_someone_new_share": 0.6667,
        "pairs_with_companies": 2,
        "cross_company_pairs": 1,
        "cross_company_share": 0.5,
        "squares_signed": 4,
        "players": 4,
        "bingos": 0,
    }


def test_the_summary_counts_only_companies_people_show(organizer, player):
    # Cy hides her company: a pair with her is no pair "with companies", so the share says nothing of it.
    ada = player("Ada Lovelace", company="Analytical")
    bob = player("Bob Builder", company="Cranes")
    cy = player("Cy Young", company="Secret Labs")
    hidden = cy.client.patch("/api/v1/me", json={"sharing": {"company": "nobody"}}, headers=cy.headers)
    assert hidden.status_code == 200, hidden.json
    round_ = organizer.start_round(actions=[*NINE[:8], "introduced"])
    for scanner, scanned in ((ada, bob), (ada, cy), (bob, cy)):
        scanner.sign(scanned, "introduced")
    organizer.end(round_["id"])
    summary = organizer.get(f"/rounds/{round_['id']}/summary").json
    assert (summary["connections_made"], summary["pairs_with_companies"]) == (3, 1)
    assert (summary["cross_company_pairs"], summary["cross_company_share"]) == (1, 1.0)


def test_the_summary_of_a_round_where_nothing_happened(organizer):
    round_ = organizer.start_round(actions=NINE)
    summary = organizer.get(f"/rounds/{round_['id']}/summary").json
    assert (summary["attendees"], summary["met_someone_new_share"], summary["cross_company_share"]) == (0, None, None)
    assert (summary["exchanges"], summary["connections_made"], summary["players"]) == (0, 0, 0)


def test_my_data_export_has_my_bingo_cards_as_i_see_them(played):
    ada, eve = played["ada"], played["eve"]
    card = ada.card()
    exported = ada.get("/api/v1/me/export")
    assert exported.status_code == 200, exported.json
    [mine] = exported.json["bingo"]
    # The card the bingo screen shows: squares, signers, the middle row, the bingo (as of the export's own moment).
    assert {**mine, "generated_at": None} == {**card, "generated_at": None}
    assert mine["round"]["id"] == played["round"]["id"] and mine["bingo"] is True
    assert [line["kind"] for line in mine["lines"]] == ["row"]
    assert eve.get("/api/v1/me/export").json["bingo"] == []  # nobody signed a square of hers


def test_attendees_read_the_summary_once_the_round_is_over_not_before(client, make, organizer, player):
    ada, bob = player("Ada Lovelace"), player("Bob Builder")
    round_ = organizer.start_round(actions=[*NINE[:8], "introduced"])
    ada.sign(bob, "introduced")
    path = f"/api/v1/events/{organizer.event.id}/bingo/rounds/{round_['id']}/summary"

    refused = assert_problem(ada.get(path), 403, "round_not_over")
    assert datetime.fromisoformat(refused["ends_at"]) == datetime.fromisoformat(round_["ends_at"])
    assert organizer.get(f"/rounds/{round_['id']}/summary").status_code == 200  # the projector shows it live

    assert organizer.end(round_["id"]).status_code == 200
    mine = ada.get(path)
    assert mine.status_code == 200, mine.json
    assert mine.json == organizer.get(f"/rounds/{round_['id']}/summary").json
    assert (mine.json["connections_made"], mine.json["attendees"]) == (1, 2)
    stranger = make.token(make.user(name="Mallory", email="mallory@example.org"))
    assert_problem(client.get(path, headers=stranger), 403, "forbidden")


def test_a_round_that_ran_its_time_is_over_for_its_summary_too(organizer, player):
    ada = player("Ada Lovelace")
    round_ = organizer.start_round(actions=NINE)
    bingo_round = db.session.get(BingoRound, round_["id"])
    bingo_round.ends_at = utcnow() - timedelta(seconds=1)  # its ten minutes are up
    db.session.commit()
    answer = ada.get(f"/api/v1/events/{organizer.event.id}/bingo/rounds/{round_['id']}/summary")
    assert answer.status_code == 200, answer.json
    assert answer.json["round"]["running"] is False and answer.json["round"]["ended_early"] is False


def test_answers_carry_the_servers_clock_for_the_countdown(organizer, player):
    ada = player("Ada Lovelace")
    organizer.start_round(actions=NINE)
    before = utcnow().replace(microsecond=0)
    answers = (ada.card(), ada.leaderboard(), organizer.get().json)
    after = utcnow()
    for answer in answers:
        assert before <= datetime.fromisoformat(answer["generated_at"]) <= after, answer["generated_at"]


def test_an_organizer_in_a_block_cannot_open_that_players_card(organizer, played):
    """The leaderboard shows a player who blocked the organizer as "Attendee": their card by number is closed to the
    organizer as well, as a person not registered is ("no_card"), so the signers' names on it stay hidden too."""
    bob = played["bob"]
    assert organizer.get("/card", user_id=bob.user.id).status_code == 200
    blocked = bob.client.post("/api/v1/me/blocks", headers=bob.headers, json={"user_id": organizer.event.owner.id})
    assert blocked.status_code == 201, blocked.json
    assert_problem(organizer.get("/card", user_id=bob.user.id), 404, "no_card")
    assert organizer.get("/card", user_id=played["ada"].user.id).status_code == 200
    assert bob.card()["squares_signed"] == 4  # his own card is his, block or not
