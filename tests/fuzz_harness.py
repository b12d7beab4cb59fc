"""Hypothesis strategies for what a web page can put in a request, shared by the property tests
(test_properties.py) and the time-bounded fuzzing (test_fuzz.py)."""

from __future__ import annotations

from hypothesis import strategies as st

# Names the knowledge base knows, loaded wording the lexicon knows, and the glue of real articles,
# so generated texts reach linking, grouping, attribution and term matching, not just the tokenizer.
NAMES = ["Vladimir Putin", "Putin", "Palmyra", "UNESCO", "Irina Bokova", "ISIS", "Daesh", "Damascus", "Syria",
         "Syrian", "RUSSIAN", "Russia", "Brussels", "Islamic State", "World Health Organization", "WHO", "U.S."]
LOADED = ["savage", "heinous jihadi cult", "tentacles", "regime", "barbaric", "terrorists", "slaughtered",
          "so-called", "thugs", "militants"]
GLUE = [" ", " ", " ", ", ", ". ", " said ", " the ", " of ", " and ", "\n", "\r\n", "\t", "'s ", " (", ") ",
        "\u201c", "\u201d", '"', "'", ": ", " - ", " \u2014 ", " said:", " he said.", " Here is the full text below:"]
# What pages really contain and tokenizers trip on.
ODD = ["\x00", "\u200d", "\u200b", "\u200c", "\ufeff", "\u202e", "\u202c", "\u200f", "\u0301", "\u0308\u0301",
       "\U0001F468\u200d\U0001F469\u200d\U0001F467", "\U0001F1F8\U0001F1FE", "\U0001F3DB\ufe0f", "\u0627\u0644\u0634\u0627\u0645",
       "\u05e9\u05dc\u05d5\u05dd", "<script>alert(1)</script>", "<b>", "&amp;", "&#x27;", "\u00a0", "\u2028", "\u3000",
       "\ufffd", "\U0010FFFF", "\x7f", "\x1b[31m", "e\u0301", "\u0130", "\u00df", "\ufb01", "\u2163"]

valid_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
name, loaded, glue = st.sampled_from(NAMES), st.sampled_from(LOADED), st.sampled_from(GLUE)
# Weighted towards words that make marks, with a glue piece after each so they stay separate tokens.
piece = st.one_of(st.tuples(name, glue).map("".join), st.tuples(loaded, glue).map("".join), glue,
                  st.sampled_from(ODD), valid_text)
article_text = st.lists(piece, max_size=40).map("".join)
block_id = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12)
# A block may say what it is (API.md `blocks[].kind`); the voice rules read across the blocks by it.
kind = st.sampled_from([None, None, "quote", "heading", "caption"])
blocks = st.lists(st.tuples(block_id, article_text, kind), max_size=6, unique_by=lambda b: b[0])
features = st.sampled_from([None, ["entities"], ["terms"], ["entities", "terms"], ["terms", "entities"], []])


@st.composite
def analyze_requests(draw) -> dict:
    """A valid /analyze body: `text` or `blocks`, with or without `features`."""
    body: dict = {"text": draw(article_text)} if draw(st.booleans()) else {
        "blocks": [{"id": i, "text": t, **({"kind": k} if k else {})} for i, t, k in draw(blocks)]}
    chosen = draw(features)
    if chosen is not None:
        body["features"] = chosen
    return body


def block_texts(body: dict) -> dict[str, str]:
    return {"0": body["text"]} if "text" in body else {b["id"]: b["text"] for b in body["blocks"]}


def check_marks(body: dict, response: dict) -> int:
    """The offsets invariant of API.md for every mark; returns how many marks were checked."""
    texts = block_texts(body)
    order = list(texts)
    marks = response["mentions"] + response["terms"]
    for mark in marks:
        assert mark["block"] in texts, mark
        assert 0 <= mark["start"] < mark["end"] <= len(texts[mark["block"]]), mark
        assert texts[mark["block"]][mark["start"]:mark["end"]] == mark["text"], mark
    for mention in response["mentions"]:
        assert mention["card"] is None or mention["card"] in response["cards"], mention
    keys = [(order.index(m["block"]), m["start"]) for m in response["mentions"]]
    assert keys == sorted(keys), "mentions are in reading order"
    return len(marks)
