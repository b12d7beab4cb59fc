"""Alternatives that drop into the sentence in place of a loaded term.

The lexicon writes alternatives in their plain form ("kill", "militant"); a sentence uses the term in its own form,
so "have eradicated the remaining extremists" needs "killed" and "militants". The Penn tag of the matched word
says which form; lemminflect's dictionary says which parts of speech a word can be and how it inflects. An
alternative that cannot be what the matched word is (a noun for a verb) is dropped rather than offered.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import lemminflect
from spacy.tokens import Span, Token

from .lexicon import OMIT, Entry

_UPOS = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "PROPN": "NOUN", "ADJ": "ADJ", "ADV": "ADV"}
# The form of each part of speech the lexicon writes, and the tags a sentence can ask of it.
_PLAIN = {"VERB": "VB", "NOUN": "NN", "ADJ": "JJ", "ADV": "RB"}
_TAGS = {
    "VERB": frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"}),
    "NOUN": frozenset({"NN", "NNS"}),
    "ADJ": frozenset({"JJ", "JJR", "JJS"}),
    "ADV": frozenset({"RB", "RBR", "RBS"}),
}
_PARTICIPLES = frozenset({"VBN", "VBG"})
_GRADED = {"JJR": "more", "JJS": "most", "RBR": "more", "RBS": "most"}

# A noun or adjective phrase ends at its first preposition, and its head is the word before it: "series of
# attacks", "accused of fraud", "weaker than it appears".
_PREPOSITIONS = frozenset({
    "about", "against", "as", "at", "by", "for", "from", "in", "into", "like", "of", "on", "over", "since", "than",
    "to", "toward", "towards", "with", "without",
})

# Dependents a sentence stands without, so that "(omit)" leaves it whole: "the savage gunmen", "acted ruthlessly",
# "fought to the last man". A subject, object or predicate ("the plan was vile") cannot just go.
_DROPPABLE = frozenset({"amod", "advmod", "compound", "nmod", "npadvmod", "quantmod", "prep"})


class Slot(NamedTuple):
    """What the sentence asks of an alternative's head word."""

    pos: tuple[str, ...]  # the parts of speech that fit (VERB, NOUN, ADJ, ADV), the likelier first
    tag: str  # the Penn tag the head takes there
    modifier: bool  # before a noun ("jihadi group"): a phrase must end in its head, and a single noun fits too


def load() -> None:
    """Read lemminflect's dictionaries and rules, a second's work it otherwise does on the first word it sees."""
    lemminflect.getAllLemmas("word")
    lemminflect.getAllInflections("word")
    lemminflect.getAllLemmasOOV("words", "NOUN")
    lemminflect.getAllInflectionsOOV("word", "NOUN")


def fit(entry: Entry, span: Span, matched: Span) -> list[str]:
    """`entry`'s alternatives as they read in place of `span`, the words a reader sees flagged.

    `matched` is the part of `span` the entry itself matched; the rest are words the matcher took in with it, and
    they stay: a degree word before a loaded adjective ("so vile" -> "so deadly"), the plain modifiers of a label
    ("violent extremists" -> "violent militants"), the adjective an intensifier inflates (for "utterly
    unacceptable", "(omit)" is "unacceptable"), and the object inside a gap ("wiped them out" -> "killed them").
    """
    doc = span.doc
    before = doc[span.start : matched.start].text
    after = doc[matched.end : span.end].text
    gap = _gap_words(entry.term, matched)
    slot = _slot(matched.root, entry.pos)
    capital = span[0].is_sent_start and span.text[:1].isupper()
    fitted: list[str] = []
    for alternative in entry.alternatives:
        if alternative == OMIT:
            text = _omitted(matched, after)
        else:
            words = _inflected(alternative, slot, matched.root) if slot else alternative
            text = words and " ".join(part for part in (before, words, gap, after) if part)
        if text and text != OMIT and capital:
            text = text[0].upper() + text[1:]
        if text and text not in fitted:
            fitted.append(text)
    return fitted


def _omitted(matched: Span, after: str) -> str | None:
    # An intensifier dropped leaves the adjective it inflated, which is then the whole replacement; a degree word
    # or a label's modifiers before the term go with it, since they have nothing left to modify.
    if after:
        return after
    token = matched.root
    while token.dep_ == "conj":  # "a savage and vile attack": the conjunct drops as its first one would
        token = token.head
    return OMIT if token.dep_ in _DROPPABLE else None


def _gap_words(term: str, matched: Span) -> str:
    """The sentence's own words a <gap> took in ("them" in "wiped them out"): the alternative acts on them."""
    words = term.split(" ")
    if "<gap>" not in words:
        return ""
    at = words.index("<gap>")
    return matched[at : len(matched) - (len(words) - at - 1)].text


def _slot(token: Token, allowed: tuple[str, ...]) -> Slot | None:
    """What the matched head word is in its sentence; None when it is no inflecting word (an idiom's "on")."""
    tag = token.tag_
    if tag == "JJ":
        # The tagger often calls a participle before a noun an adjective ("the brutalized prisoners").
        verb = (_readings(token.lower_) or {}).get("VERB")
        tag = next(iter(verb[1] & _PARTICIPLES), tag) if verb else tag
    participle = tag in _PARTICIPLES
    # A participle takes a verb in the same form ("the brutalized prisoners": "mistreated") or an adjective as
    # written ("a harrowing account": "detailed"); the entry's part of speech says which the curator wrote.
    either = ("VERB", "ADJ") if not allowed or "VERB" in allowed else ("ADJ", "VERB")
    # A finite verb is never a noun's modifier, whatever a confused parse says ("eradicates dissent").
    prenominal = token.dep_ in ("amod", "compound") and tag not in ("VBD", "VBP", "VBZ", "MD")
    if prenominal and token.head.i > token.i and token.head.pos_ in ("NOUN", "PROPN"):
        if participle:
            return Slot(either, tag, modifier=True)
        return Slot(("ADJ",), tag if tag in ("JJR", "JJS") else "JJ", modifier=True)
    pos = _UPOS.get(token.pos_)
    if pos is None:
        return None
    # The matcher lets through a headline's PROPN and a participle-like adjective tagged as a verb ("sordid"); the
    # entry's own part of speech says what they are.
    if allowed and pos not in allowed and token.pos_ not in allowed and "ADJ" in allowed:
        pos = "ADJ"
    if participle and (pos == "ADJ" or "ADJ" in allowed):
        # "They were incensed" takes "angry"; "the citadel liberated from" takes "captured" or "taken control of".
        return Slot(either, tag, modifier=False)
    if tag == "NNP":
        # Capitalised plurals ("Jihadis") are tagged NNP, singular proper nouns; the word's own ending says.
        lower = token.lower_
        tag = "NNS" if lemminflect.getLemma(lower, "NOUN")[0] != lower else "NN"
    tag = {"NNPS": "NNS"}.get(tag, tag)
    return Slot((pos,), tag if tag in _TAGS[pos] else _PLAIN[pos], modifier=False)


def _inflected(alternative: str, slot: Slot, token: Token) -> str | None:
    """`alternative` with its head word in the form `slot` asks for; None when it cannot fill the slot."""
    words = alternative.split(" ")
    if slot.tag in _GRADED and len(words) > 1:
        return None  # "very poor" has no comparative: neither "more very poor" nor "very poorer" is English
    for pos in slot.pos:
        at = _head(words, pos)
        # Before a noun, a modifier ends in its head: not "the known as experts", "the driven out town".
        if at is None or slot.modifier and at != len(words) - 1:
            continue
        form = _form(words[at], pos, slot, token, alone=len(words) == 1)
        if form is not None:
            return " ".join([*words[:at], form, *words[at + 1 :]])
    return None


def _head(words: list[str], pos: str) -> int | None:
    if pos == "VERB":
        # A verb phrase opens with its verb ("drive out", "take control of"); "of" right after the first word makes
        # it a noun's phrase instead ("change of position").
        return None if words[1:2] == ["of"] else 0
    return next((i for i, word in enumerate(words) if i and word in _PREPOSITIONS), len(words)) - 1


def _form(word: str, pos: str, slot: Slot, token: Token, alone: bool) -> str | None:
    """`word` as a `pos` in the form `slot.tag`; None when the dictionary says it cannot be a `pos`."""
    readings = _readings(word)
    if readings is None:
        # Not in the dictionary (a name, a rare word): the curator wrote it for this term, so it is taken to fit,
        # and inflected by the regular rules.
        return _regular(word, pos, slot.tag)
    if pos == "ADJ":
        verb = readings.get("VERB")
        if "ADJ" in readings or verb and verb[1] & _PARTICIPLES:  # a participle is an adjective too ("disputed")
            return _graded(word, readings.get("ADJ"), slot.tag)
        # A single singular noun can modify another noun where an adjective stands ("militant group"); it takes no
        # degree, and no participle's place ("the rampaging gunmen" is not "the attacks gunmen").
        noun = readings.get("NOUN")
        return word if slot.modifier and alone and slot.tag == "JJ" and noun and "NN" in noun[1] else None
    reading = readings.get(pos)
    if reading is None:
        return None
    lemma = reading[0]
    if pos == "VERB":
        if lemma == "be" and slot.tag in ("VBD", "VBP"):
            return _be(slot.tag, token)
        return lemminflect.getInflection(lemma, slot.tag)[0]
    if slot.tag == "NNS":
        return lemminflect.getInflection(lemma, "NNS")[0]
    if pos == "ADV":
        return _graded(word, reading, slot.tag)
    # A singular slot keeps the word as written: a plural there is the curator's choice ("deaths" for "carnage").
    return word


def _graded(word: str, reading: tuple[str, frozenset[str]] | None, tag: str) -> str:
    if tag not in _GRADED:
        return word
    lemma, tags = reading or (word, frozenset())
    # English grades short words with an ending ("deadlier", "harsher") and longer ones with "more" ("more severe",
    # even where the dictionary knows "severer").
    upos = "ADV" if tag.startswith("RB") else "ADJ"
    endings = lemminflect.getAllInflections(lemma, upos).get(tag) if _PLAIN[upos] in tags else None
    return endings[0] if endings and _short(word) else f"{_GRADED[tag]} {word}"


def _short(word: str) -> bool:
    """One syllable, or two ending in -y: the words English grades with -er and -est."""
    syllables = len(re.findall(r"[aeiouy]+", word.lower()))
    if word.endswith("e") and not word.endswith(("ee", "le")) and syllables > 1:
        syllables -= 1  # a silent final e ("grave")
    return syllables == 1 or syllables == 2 and word.endswith("y")


def _regular(word: str, pos: str, tag: str) -> str:
    if tag in _GRADED:
        return f"{_GRADED[tag]} {word}"
    if pos == "VERB" and tag in _TAGS["VERB"] or pos == "NOUN" and tag == "NNS":
        return lemminflect.getInflection(word, tag, inflect_oov=True)[0]
    return word


def _be(tag: str, token: Token) -> str:
    """was/were, am/are: the one verb whose past and present forms follow the subject."""
    subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return "was" if tag == "VBD" else "are"
    if tag == "VBP":
        return "am" if subject.lower_ == "i" else "are"
    plural = subject.tag_ in ("NNS", "NNPS") or subject.lower_ in ("we", "you", "they") or any(
        child.dep_ == "conj" for child in subject.children)
    return "were" if plural else "was"


@lru_cache(maxsize=4096)
def _readings(word: str) -> dict[str, tuple[str, frozenset[str]]] | None:
    """What `word`, as the lexicon writes it, can be: {part of speech: (lemma, its tags)}; None if unknown."""
    readings: dict[str, tuple[str, frozenset[str]]] = {}
    for upos, lemmas in lemminflect.getAllLemmas(word).items():
        pos = _UPOS.get(upos)
        if pos is None or pos in readings:
            continue
        for lemma in lemmas:
            forms = lemminflect.getAllInflections(lemma, upos)
            tags = {tag for tag, spellings in forms.items() if word in spellings and tag in _TAGS[pos]}
            if word == lemma:
                tags.add(_PLAIN[pos])
            if "VBD" in tags and "VBN" not in forms:  # the dictionary lists a participle only where it differs
                tags.add("VBN")
            # The lexicon writes verbs plain, so a written -s form is a plural noun ("attacks"), never a verb.
            tags.discard("VBZ")
            if tags:
                readings[pos] = (lemma, frozenset(tags))
                break
    if readings:
        return readings
    if "-" in word.strip("-"):
        # English coins compound modifiers freely ("pro-independence", "state-owned") and compound nouns rarely,
        # so a hyphenated word the dictionary lacks is an adjective.
        return {"ADJ": (word, frozenset({"JJ"}))}
    return None
