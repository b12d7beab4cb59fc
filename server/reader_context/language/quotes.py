"""Who is speaking: quotation marks, reported speech and the speaker a sentence names.

A loaded word in a quotation is the speaker's choice, not the author's; readers judge the two differently, so
every term says which voice it is in. Everything here works on one block (paragraph) at a time: a quote that
opens in one block and closes in another is rare, and guessing across blocks would mark whole articles as
quoted on one stray mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .grammar import Grammar

_DOUBLE_OPEN = "“«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘‹"
_SINGLE_CLOSE = "’›"
# Characters after which a straight quote mark starts a quotation rather than ends one.
_OPENING_CONTEXT = " \t\n([{—–-/:;“‘\"'«"



@dataclass(frozen=True)
class Quote:
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark (or where an unclosed quote is taken to end)
    closed: bool

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.closed else self.end


def find_quotes(doc: Doc) -> list[Quote]:
    """Quoted stretches of `doc.text`, outermost and nested alike, sorted by start.

    Straight marks are told apart by what surrounds them; a curly closing single mark inside a word is an
    apostrophe. An unclosed double quote runs to the end of the block only when it opens the block (the
    newspaper convention for a quote that continues in the next paragraph); otherwise only to the end of its
    sentence, so one stray mark cannot turn the rest of a paragraph into someone else's words.
    """
    text = doc.text
    stack: list[tuple[str, int]] = []
    quotes: list[Quote] = []

    def close(kind: str, position: int) -> bool:
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == kind:
                quotes.append(Quote(stack[depth][1], position + 1, True))
                # Openers left inside the closed quote were apostrophes or typos; they must not leak out.
                del stack[depth:]
                return True
        return False

    for i, char in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if char in _DOUBLE_OPEN:
            stack.append(("double", i))
        elif char in _DOUBLE_CLOSE:
            close("double", i)
        elif char == '"':
            open_double = any(kind == "double" for kind, _ in stack)
            looks_opening = before in _OPENING_CONTEXT and not after.isspace()
            if open_double and not looks_opening:
                close("double", i)
            elif looks_opening:
                stack.append(("double", i))
            elif open_double:
                close("double", i)
        elif char in _SINGLE_OPEN or char == "'":
            looks_opening = before in _OPENING_CONTEXT and after.isalnum()
            open_single = any(kind == "single" for kind, _ in stack)
            if char == "'" and open_single and not after.isalnum() and not before.isspace():
                close("single", i)
            elif looks_opening:
                stack.append(("single", i))
        elif char in _SINGLE_CLOSE:
            # "don’t", "ISIS’s": a closing mark between letters is an apostrophe, never a quote.
            if not after.isalnum():
                close("single", i)

    for kind, position in stack:
        if kind != "double":
            continue
        if not text[:position].strip():
            end = len(text)
        else:
            end = next((sent.end_char for sent in doc.sents if sent.start_char <= position < sent.end_char), len(text))
        quotes.append(Quote(position, end, False))
    return sorted(quotes, key=lambda quote: (quote.start, -quote.end))


def _inside(quotes: list[Quote], start: int, end: int) -> Quote | None:
    """The outermost quote holding [start, end): its speaker is the one named outside all marks."""
    for quote in quotes:
        inner_start, inner_end = quote.inner
        if inner_start <= start and end <= inner_end:
            return quote
    return None


class Attribution:
    """Decides whether wording at a span is attributed to someone, and to whom.

    The answer has one shape: None in the outlet's own voice, else ``{"quote": bool, "speaker": str | None}``.
    """

    def __init__(self, reporting_verbs: frozenset[str], grammar: Grammar):
        self._reporting_verbs = reporting_verbs
        self._grammar = grammar

    def attribute(self, span: Span, quotes: list[Quote]) -> dict | None:
        quote = _inside(quotes, span.start_char, span.end_char)
        if quote is not None:
            return {"quote": True, "speaker": self.quote_speaker(span.doc, quote, quotes)}
        return self._reported(span)

    def quote_speaker(self, doc: Doc, quote: Quote, quotes: list[Quote]) -> str | None:
        verb = self._quote_verb(doc, quote, quotes)
        if verb is None:
            return None
        if verb.lower_ == "according":
            target = next((t for t in verb.subtree if t.dep_ == "pobj"), None)
            return self._name(target) if target is not None else None
        return self._name(_subject(verb))

    def has_speaker_verb(self, doc: Doc, quote: Quote, quotes: list[Quote]) -> bool:
        return self._quote_verb(doc, quote, quotes) is not None

    def _quote_verb(self, doc: Doc, quote: Quote, quotes: list[Quote]) -> Token | None:
        sentences = [s for s in doc.sents if s.start_char < quote.end and s.end_char > quote.start]
        if not sentences:
            return None
        # "Bokova said:" is often split off as its own sentence just before the quote it introduces.
        first = sentences[0]
        if first.start > 0:
            previous = doc[first.start - 1].sent
            if previous.text.rstrip().endswith(":"):
                sentences.insert(0, previous)
        best: tuple[int, Token] | None = None
        for sentence in sentences:
            for token in sentence:
                if _inside(quotes, token.idx, token.idx + len(token)) is not None:
                    continue
                speaking = (token.lemma_.lower() in self._reporting_verbs and token.pos_ in ("VERB", "AUX")) or (
                    token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to"
                )
                if not speaking:
                    continue
                distance = quote.start - token.idx if token.idx < quote.start else token.idx - quote.end
                if best is None or distance < best[0]:
                    best = (distance, token)
        return best[1] if best else None

    def _reported(self, span: Span) -> dict | None:
        """Reported speech: the span sits in a clause that a reporting verb governs ("officials said the ...")."""
        labelling = self._grammar.labelling_verbs
        child = span.root
        while child.head.i != child.i:
            head = child.head
            lemma = head.lemma_.lower()
            governed = (
                (child.dep_ in ("ccomp", "parataxis") and lemma in self._reporting_verbs)
                or (child.dep_ == "oprd" and lemma in labelling)
                or (child.dep_ == "pobj" and head.lower_ == "as" and head.head.lemma_.lower() in labelling)
            )
            if governed:
                verb = head.head if head.lower_ == "as" else head
                subject = _subject(verb)
                # "I think these are ..." is the author speaking in the first person, not someone quoted; and
                # "officials said ..." without a name gives the reader nothing to weigh: both are the outlet's voice.
                if subject is None or subject.lower_ in self._grammar.first_person:
                    return None
                speaker = self._name(subject)
                return {"quote": False, "speaker": speaker} if speaker else None
            child = head
        return None

    def _name(self, token: Token | None) -> str | None:
        """The speaker as the sentence names them, or None for pronouns and nameless nouns ("a spokesman")."""
        if token is None or token.pos_ == "PRON":
            return None
        speakers = self._grammar.speaker_entity_types
        if token.ent_type_ in speakers:
            for ent in token.doc.ents:
                if ent.start <= token.i < ent.end:
                    # NER often takes the article into the name ("The Liberation Army"); the speaker is the name.
                    return ent[1:].text if ent[0].lower_ == "the" and len(ent) > 1 else ent.text
        start = token.left_edge.i
        while start < token.i and token.doc[start].dep_ in ("det", "poss", "case", "punct", "predet"):
            start += 1
        phrase = token.doc[start : token.i + 1]
        if any(t.pos_ == "PROPN" or t.ent_type_ in speakers for t in phrase):
            return phrase.text
        return None


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    # "..., who said ..." and conjoined verbs ("reported ... and said") share the subject of their head.
    if verb.dep_ in ("conj", "relcl") and verb.head.i != verb.i:
        if verb.dep_ == "relcl":
            return verb.head
        return _subject(verb.head)
    return None
