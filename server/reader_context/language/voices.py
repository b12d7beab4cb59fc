"""Whose words each stretch of an article is, read across the blocks of one request.

A block alone cannot say it: a quotation may open in one paragraph and close three later, a blockquote or a
transcript carries no marks at all, the speaker of "he said" was named two paragraphs up. `Voices.read` takes
the blocks in order and gives each a `BlockVoice`: the stretches in someone else's words, with their speakers.

The rules, and how far each runs:

- Quotation marks. By the typographic convention a paragraph that opens a quotation and does not close it goes
  on into the next paragraph, which opens with a mark again; the quotation ends where a mark closes it. A mark
  left open before a paragraph that does not open with one was a stray, and ends with its sentence.
- A quote block (`kind="quote"`, a blockquote) is wholly someone's words; consecutive quote blocks are one
  quotation. Its speaker is the one the block before introduces ("X said:"), else unknown.
- "X said:" (or "X said in a statement:") introduces the next block, whatever it is. Unmarked body text goes on
  only while it stays in the first person: without marks, grammatical person is the one sign a reader has that
  the speaker still talks ("We have arrested ... We will not let ..."), and an outlet writes news in the third
  person. A paragraph that attributes again ("..., according to officials", "He added that ..."), names the
  speaker, or opens its own quotation is the outlet again; so is body text after the quote blocks it introduced.
- A transcript ("Here is the full text of X's speech:", "Read the transcript below:") runs to the next heading,
  to the end of the request, or to a block that names X: a speech is long and its speaker says "he said" and
  "the president" as freely as the outlet does, so person and reporting verbs tell nothing there, but people do
  not call themselves by their surname, while the outlet's first paragraph after a transcript usually does.
  When the page set the transcript in quote blocks, the body text after them is the outlet's again.
- Headings end every run; captions are the outlet's and neither end nor continue one (a photo between the
  paragraphs of a speech does not end it).

Speakers: a quotation's speaker is the one its reporting verb binds (speakers.py), in any paragraph of the
quotation, else the one its introduction names. "he"/"she" take the nearest person named before them outside
quotations, in this block or earlier ones; "it" the nearest organisation or country in the same block (an
institution is named close by, and one named paragraphs earlier is a guess); "they" nobody (it usually points
back at "officials" or "residents", not at a name). A nameless speaker ("a police spokesman said") standing
nearer than the name blocks it: "he" is then the spokesman, whom the text does not name.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Callable, Sequence

from spacy.tokens import Doc, Token

from ..doctext import text_of
from .quotes import Marks, Quote, find_quotes, last_unclosed, opens_with_a_mark, outermost
from .introductions import Introduction, Introductions
from .speakers import Speakers

QUOTE, HEADING, CAPTION = "quote", "heading", "caption"
BLOCK_KINDS = (QUOTE, HEADING, CAPTION)
_HE_SHE = frozenset({"he", "she", "him", "her"})
_ORGANISATIONS = frozenset({"ORG", "GPE"})


@dataclass(frozen=True)
class Speech:
    """[start, end) of a block in someone else's words."""

    start: int
    end: int
    speaker: str | None


class BlockVoice:
    """What the article says of one block's voices."""

    def __init__(self, marks: Marks, whole: Speech | None, quotations: list[Speech],
                 who: Callable[[Token | None], str | None]):
        self.marks = marks  # the block's quotations, nested ones too (scare quotes are read from them)
        self.whole = whole  # the whole block, when it is someone's words
        self.quotations = sorted(quotations, key=lambda s: s.start)  # its outermost quotations, never overlapping
        self.who = who  # the speaker a token names, pronouns resolved from here
        self._starts = [s.start for s in self.quotations]

    def whose(self, start: int, end: int) -> Speech | None:
        """The speech holding [start, end): a quotation inside a quoted block that names its own speaker
        (a pull-quote with its tag) is that speaker's, any other the block's."""
        i = bisect.bisect_right(self._starts, start) - 1
        quotation = self.quotations[i] if i >= 0 and end <= self.quotations[i].end else None
        if quotation is not None and (quotation.speaker or self.whole is None):
            return quotation
        return self.whole

    def stretches(self) -> list[tuple[int, int]]:
        """The character ranges in someone else's words."""
        if self.whole is not None:
            return [(self.whole.start, self.whole.end)] if self.whole.end > self.whole.start else []
        return [(s.start, s.end) for s in self.quotations if s.end > s.start]


@dataclass
class _Run:
    """Blocks that are the words an introduction announced."""

    intro: int  # the introducing block (or the first of a run of quote blocks without one: -1)
    transcript: bool
    taken: int = 0  # blocks taken so far
    last_kind: str | None = None


class Voices:
    def __init__(self, speakers: Speakers, introductions: Introductions):
        self._speakers = speakers
        self._introductions = introductions

    def read(self, docs: Sequence[Doc], kinds: Sequence[str | None] | None = None) -> list[BlockVoice]:
        kinds = list(kinds) if kinds is not None else [None] * len(docs)
        texts = [text_of(doc) for doc in docs]
        quotes = [find_quotes(doc) for doc in docs]
        chains = _chains(texts, kinds, quotes)
        marks = [Marks(doc, block_quotes) for doc, block_quotes in zip(docs, quotes)]
        intros: dict[int, Introduction] = {}
        introduced: dict[int, int] = {}  # the first block after an introduction -> the introducing block
        whole: dict[int, int] = {}  # a block wholly in someone's words -> its introducing block, -1 for none
        self._runs(docs, texts, kinds, marks, intros, introduced, whole)

        referents = _Referents(self._speakers, docs, marks, whole)
        intro_speaker = {i: referents.who(i, intro.speaker) for i, intro in intros.items()}
        quotations: list[list[Speech]] = [[] for _ in docs]
        for chain in chains:
            speaker = self._chain_speaker(chain, docs, texts, marks, referents, introduced, intro_speaker)
            for block, quote in chain:
                quotations[block].append(Speech(*quote.inner, speaker))
        return [BlockVoice(marks[i], Speech(0, len(texts[i]), intro_speaker.get(whole[i])) if i in whole else None,
                           quotations[i], lambda token, i=i: referents.who(i, token))
                for i in range(len(docs))]

    def _runs(self, docs, texts, kinds, marks, intros, introduced, whole) -> None:
        run: _Run | None = None
        previous_intro: int | None = None
        for i, doc in enumerate(docs):
            kind = kinds[i]
            if kind == CAPTION or not texts[i].strip():
                continue
            if kind == HEADING:
                run, previous_intro = None, None
                continue
            if previous_intro is not None:
                introduced[i] = previous_intro
            if run is not None and not self._goes_on(run, doc, texts[i], kind, marks[i], intros):
                run = None
            if run is None and kind == QUOTE:
                run = _Run(previous_intro if previous_intro is not None else -1, False)
            if run is not None:
                whole[i] = run.intro
                run.taken, run.last_kind = run.taken + 1, kind
                previous_intro = None
                continue
            intro = self._introductions.read(doc, texts[i], marks[i])
            previous_intro = None
            if intro is not None:
                intros[i], previous_intro = intro, i
                run = _Run(i, intro.transcript)

    def _goes_on(self, run: _Run, doc: Doc, text: str, kind: str | None, marks: Marks,
                 intros: dict[int, Introduction]) -> bool:
        if kind == QUOTE:
            return run.taken == 0 or run.last_kind == QUOTE
        intro = intros.get(run.intro)
        if intro is not None and self._names(doc, intro.speaker, marks):
            return False
        # Body text after the quote blocks an introduction led to: the page marked where the words ended.
        if run.last_kind == QUOTE or run.intro < 0:
            return False
        if run.transcript:
            return True
        # A quotation the body text opens has marks to say how far it runs.
        if opens_with_a_mark(text):
            return False
        return run.taken == 0 or self._first_person(doc, marks)

    def _first_person(self, doc: Doc, marks: Marks) -> bool:
        outside = [t for t in doc if not marks.holds(t)]
        # "He added that ...", "..., according to officials": the outlet attributing again.
        if any(self._speakers.speaks(t) and not _first_person_subject(self._speakers, t) for t in outside):
            return False
        return any("1" in t.morph.get("Person") and t.pos_ == "PRON" for t in outside)

    def _names(self, doc: Doc, speaker: Token | None, marks: Marks) -> bool:
        name = self._speakers.name(speaker) if speaker is not None else None
        if not name:
            return False
        surname = name.split()[-1]
        return any(t.text == surname and not marks.holds(t) for t in doc)

    def _chain_speaker(self, chain, docs, texts, marks, referents, introduced, intro_speaker) -> str | None:
        for block, quote in chain:
            verb = self._speakers.bound_verb(docs[block], quote, marks[block])
            if verb is not None:
                return referents.who(block, self._speakers.speaker_token(verb))
        block, first = chain[0]
        if block in introduced and not texts[block][:first.start].strip():
            return intro_speaker.get(introduced[block])
        previous = marks[block].before(first)
        if previous is not None:
            verb = self._speakers.tag_between(docs[block], previous, first, marks[block])
            if verb is not None:
                return referents.who(block, self._speakers.speaker_token(verb))
        return None


def _first_person_subject(speakers: Speakers, verb: Token) -> bool:
    subject = speakers.speaker_token(verb)
    return subject is not None and "1" in subject.morph.get("Person")


def _chains(texts: list[str], kinds, quotes: list[list[Quote]]) -> list[list[tuple[int, Quote]]]:
    """Each outermost quotation as the paragraphs it runs over: [(block, quote), ...]. An unclosed quotation
    that the next block continues is run to the end of its block, in `quotes` too."""
    chains: list[list[tuple[int, Quote]]] = []
    carried: list[tuple[int, Quote]] | None = None
    for i, text in enumerate(texts):
        open_quote = last_unclosed(outermost(quotes[i]))
        following = i + 1 < len(texts) and kinds[i + 1] not in (HEADING, CAPTION)
        extended = None
        if open_quote is not None and following and opens_with_a_mark(texts[i + 1]):
            # Run to the block end, it takes in the quotations after it: they are part of its words.
            extended = open_quote.to_block_end(text)
            quotes[i] = [extended if q is open_quote else q for q in quotes[i]]
        outer = outermost(quotes[i])
        opening = outer[0] if outer and not text[:outer[0].start].strip() else None
        next_carried = None
        for quote in outer:
            if carried is not None and quote is opening:
                chain = carried
                chain.append((i, quote))
            else:
                chain = [(i, quote)]
                chains.append(chain)
            if quote is extended:
                next_carried = chain
        carried = next_carried
    return chains


class _Referents:
    """Who "he", "she" and "it" can point back to: names outside quotations, in reading order."""

    def __init__(self, speakers: Speakers, docs, marks: list[Marks], whole: dict[int, int]):
        self._speakers = speakers
        self._by_block: list[list[tuple[int, str, str | None]]] = []
        for i, doc in enumerate(docs):
            found: list[tuple[int, str, str | None]] = []
            if i not in whole:
                for ent in doc.ents:
                    if marks[i].holding(ent.start_char, ent.end_char) is not None:
                        continue
                    if ent.label_ == "PERSON":
                        found.append((ent.start_char, "person", speakers.name(ent.root)))
                    elif ent.label_ in _ORGANISATIONS:
                        found.append((ent.start_char, "organisation", speakers.name(ent.root)))
                for token in doc:
                    if token.dep_ in ("nsubj", "nsubjpass") and speakers.is_nameless_speaker(token) \
                            and not marks[i].holds(token):
                        found.append((token.idx, "nameless", None))
            self._by_block.append(sorted(found, key=lambda f: f[0]))

    def who(self, block: int, token: Token | None) -> str | None:
        if token is None:
            return None
        if token.pos_ != "PRON":
            return self._speakers.name(token)
        pronoun = token.lower_
        if pronoun in _HE_SHE:
            wanted, blocks = "person", range(block, -1, -1)
        elif pronoun == "it" and token.dep_ == "nsubj":
            wanted, blocks = "organisation", [block]
        else:
            return None
        for b in blocks:
            for position, kind, name in reversed(self._by_block[b]):
                if b == block and position >= token.idx:
                    continue
                if kind == "nameless":
                    return None
                if kind == wanted:
                    return name
        return None
