"""A block that introduces the blocks after it as someone's words: "X said:" or "Here is the full text of X's
speech:". How far the words it introduces run is voices.py's to decide."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .grammar import Grammar
from .quotes import Marks
from .speakers import Speakers, owner


@dataclass(frozen=True)
class Introduction:
    """A block ending "X said:" (`transcript` False) or pointing at a text to follow ("Here is the full text of
    X's speech:", True); `speaker` is the token naming X, None when the block names no one."""

    transcript: bool
    speaker: Token | None


class Introductions:
    def __init__(self, speakers: Speakers, grammar: Grammar):
        self._speakers = speakers
        self._grammar = grammar

    def read(self, doc: Doc, text: str, marks: Marks) -> Introduction | None:
        """What the block's last sentence introduces, if anything.

        A transcript names a text and points at it ("Here is the full text of X's speech:", "Read the transcript
        below:", "The following is a transcript of ..."); a quotation ends in a colon after a reporting verb ("X
        said in a statement:") or a text ("Her full remarks:"). A colon after anything else introduces a list.
        """
        text = text.rstrip()
        if not text or not len(doc):
            return None
        last = doc[len(doc) - 1].sent
        while not last.text.strip() and last.start > 0:
            last = doc[last.start - 1].sent
        outside = [t for t in last if not marks.holds(t)]
        colon = text.endswith(":")
        # What is to be watched or heard ("Watch the speech below:") is a video, not a text that follows.
        nouns = [t for t in outside if t.pos_ in ("NOUN", "PROPN")
                 and {t.lower_, t.lemma_.lower()} & self._grammar.text_nouns
                 and t.head.lemma_.lower() not in self._grammar.viewing_verbs]
        verbs = [t for t in outside if self._speakers.speaks(t)]
        for noun in nouns:
            if self._pointed_at(noun, outside, colon):
                author = owner(noun)
                return Introduction(True, author if author is not None else
                                    (self._speakers.speaker_token(verbs[-1]) if verbs else None))
        if colon and verbs and self._introduces(verbs[-1], last):
            return Introduction(False, self._speakers.speaker_token(verbs[-1]))
        if colon and nouns:
            return Introduction(False, owner(nouns[-1]))
        return None

    @staticmethod
    def _introduces(verb: Token, sentence: Span) -> bool:
        """The colon is the verb's: "X said in a statement:", "Here is what he said:"; not "The list, which
        officials said was incomplete, includes:", where the colon belongs to another verb."""
        colon = next(t for t in reversed(sentence) if not t.is_space)
        if colon.head == verb:
            return True
        return not any(t.pos_ in ("VERB", "AUX") for t in sentence[verb.i - sentence.start + 1:])

    def _pointed_at(self, noun: Token, outside: list[Token], colon: bool) -> bool:
        """A pointer in the noun's own clause: "Read the transcript below", "Below is the full text". Without a
        colon only "X is/follows" counts, so that "Here, he gave his speech" is no transcript."""
        for pointer in outside:
            if pointer.lower_ not in self._grammar.transcript_pointers or pointer.dep_ == "amod":
                continue
            shared = pointer.head if pointer.head in (noun.head, noun) else noun.head if noun.head == pointer else None
            if shared is not None and (colon or shared.lemma_ in ("be", "follow")):
                return True
        return False
