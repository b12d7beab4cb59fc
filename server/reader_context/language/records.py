"""Loaded terms as plain data: what `Span._.loaded_term` holds, and the records the API's `terms` are made of.

Plain dicts and lists only, so docs with their user data still serialise (DocBin, nlp.pipe worker processes).
"""

from __future__ import annotations

from spacy.tokens import Doc

from .lexicon import Entry, Lexicon, ScareQuotes

SPANS_KEY = "loaded_terms"
# The stretches of a doc in someone else's words (quotations, quote blocks, introduced speech): what the framing
# profile leaves out of the author's own text.
QUOTED_KEY = "quoted"
SCARE_QUOTES_LEMMA = "(scare quotes)"
# A direct quotation is evidence of what someone said; offering to reword it would misquote them.
QUOTED_NOTE = "In a direct quotation: the speaker's words cannot be reworded."


def term_records(doc: Doc, spans_key: str = SPANS_KEY) -> list[dict]:
    """The loaded terms the component wrote to `doc`, as the API's `terms` (without `block`), sorted by start.

    Keys: start, end (code-point offsets into doc.text, end exclusive), text, lemma, category, severity, why,
    alternatives, note, attributed, reported, rule, phrase (start and end of the expression the word loads).
    """
    if spans_key not in doc.spans:
        return []
    records = []
    for span in sorted(doc.spans[spans_key], key=lambda s: s.start_char):
        entry, attributed, reported = span._.loaded_term, span._.attributed, span._.reported
        phrase = span._.phrase or span
        records.append({
            "start": span.start_char,
            "end": span.end_char,
            "text": span.text,
            "lemma": entry["term"],
            "category": entry["category"],
            "severity": entry["severity"],
            "why": entry["why"],
            "alternatives": list(entry["alternatives"]),
            "note": entry["note"],
            "attributed": dict(attributed) if attributed else None,
            "reported": dict(reported) if reported else None,
            "rule": entry["rule"],
            "phrase": {"start": phrase.start_char, "end": phrase.end_char},
        })
    return records


def loaded_term(entry: Entry, lexicon: Lexicon, quoted: bool = False) -> dict:
    """`Span._.loaded_term` of the terms `entry` finds: rule id, term as a reader sees it, category, severity,
    why, alternatives as the lexicon writes them (the component fits them to each sentence) and note: what to
    write instead, the entry's own note, then the contrast with its neutral pair.

    `quoted`: the term sits inside a direct quotation, which offers no alternatives and says why in the note.
    """
    pair = lexicon.pairs.get(entry.term)
    advice = QUOTED_NOTE if quoted else _better(entry.better)
    notes = [text for text in (advice, entry.note, pair.explanation if pair else None) if text]
    return {
        "rule": entry.id,
        # As a reader should see it: "on one's last legs", "wipe … out".
        "term": entry.term.replace("<poss>", "one's").replace("<gap>", "…"),
        "category": entry.category,
        "severity": entry.severity,
        "why": entry.why,
        "alternatives": [] if quoted else list(entry.alternatives),
        "note": " ".join(notes) or None,
    }


def scare_quotes_term(rule: ScareQuotes, words: str) -> dict:
    """`words` are what the marks enclose: without the marks they are the sentence's own, undoubted wording."""
    return {"rule": rule.id, "term": SCARE_QUOTES_LEMMA, "category": rule.category, "severity": rule.severity,
            "why": rule.why, "alternatives": [words], "note": _better(rule.better)}


def _better(instructions: tuple[str, ...]) -> str | None:
    # Instructions are not words to put in the sentence, so they are advice in the note rather than alternatives.
    return f"Better: {', or '.join(instructions)}." if instructions else None
