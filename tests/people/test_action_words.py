"""Actions in words: the server's files and emails say what the web app says."""

import re
from pathlib import Path

from netevents.people.actions import ACTION_WORDS, SQUARE_WORDS, STANDARD_ACTIONS, tag_words

ACTIONS_TS = Path(__file__).parents[2] / "frontend" / "src" / "lib" / "actions.ts"


def test_the_standard_actions_have_the_words_the_web_app_shows():
    """As what happened (a tag, a chip) and as what to do (a bingo square)."""
    shown = re.findall(r'^\s+(\w+): \{ done: "([^"]+)", toDo: "([^"]+)" \}', ACTIONS_TS.read_text(), flags=re.MULTILINE)
    assert {slug for slug, _done, _to_do in shown} == set(STANDARD_ACTIONS)
    assert dict(ACTION_WORDS) == {slug: done for slug, done, _to_do in shown}
    assert dict(SQUARE_WORDS) == {slug: to_do for slug, _done, to_do in shown}


def test_a_tag_reads_as_on_the_connection_card():
    labels = {"talked_ai": " Talked AI ", "constructor": ""}
    assert tag_words("asked_advice", labels) == "Asked for advice"
    assert tag_words("talked_ai", labels) == "Talked AI"
    assert tag_words("talked_ai", {}) == "Talked ai"  # no words kept for it: spelled out
    assert tag_words("constructor", labels) == "Constructor"
    assert tag_words("Hiring in Q3", labels) == "Hiring in Q3"  # my own words, as typed
