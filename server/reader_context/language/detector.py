"""Find loaded terms in a paragraph: lexicon matches filtered by context rules, with who is speaking.

All patterns are compiled into one spaCy Matcher when the detector is built, so a request only pays for one
matcher pass over the tokens plus a few checks per hit.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from .lexicon import Entry, Lexicon
from .quotes import Attribution, Quote, find_quotes

# Entity types that make up names: a loaded word inside "Islamic State" or "Liberation Army" is part of what
# the group is called, and flagging it would lecture the reader about a name the writer cannot change.
NAME_ENTITY_TYPES = frozenset(
    {"ORG", "GPE", "PERSON", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "LOC", "PRODUCT"}
)
_POSSESSIVES = ["my", "your", "his", "her", "its", "our", "their", "one's", "whose"]
# A <gap> stands for a short object between a verb and its particle ("wipe them out", "wipe the town out").
_GAP_TOKENS = 3


class TermDetector:
    """Loaded-term finder for one lexicon and one spaCy pipeline; thread-safe once built."""

    def __init__(self, lexicon: Lexicon, nlp: Language):
        self.lexicon = lexicon
        self._attribution = Attribution(lexicon.reporting_verbs)
        self._matcher = Matcher(nlp.vocab, validate=True)
        self._entries: dict[int, Entry] = {}
        self._build(nlp)

    def _build(self, nlp: Language) -> None:
        phrase_lemmas = self._phrase_lemmas(nlp)
        for index, entry in enumerate(self.lexicon.entries):
            key = nlp.vocab.strings.add(f"loaded-term-{index}")
            self._entries[key] = entry
            patterns = [
                self._pattern(nlp, entry.term, by_lemma=True, lemmas=phrase_lemmas.get(entry.term)),
                self._pattern(nlp, entry.term, by_lemma=False),
            ]
            patterns += [self._pattern(nlp, form, by_lemma=False) for form in entry.forms]
            self._matcher.add(key, patterns, greedy="LONGEST")

    def _phrase_lemmas(self, nlp: Language) -> dict[str, list[str]]:
        """Lemmas of each multi-token term, so "on its last legs" also matches "on its last leg"."""
        terms = [e.term for e in self.lexicon.entries if len(nlp.make_doc(_without_placeholders(e.term))) > 1]
        texts = [_without_placeholders(term) for term in terms]
        lemmas: dict[str, list[str]] = {}
        with nlp.select_pipes(enable=[p for p in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer") if p in nlp.pipe_names]):
            for term, doc in zip(terms, nlp.pipe(texts)):
                lemmas[term] = [t.lemma_.lower() or t.lower_ for t in doc]
        return lemmas

    @staticmethod
    def _pattern(nlp: Language, term: str, *, by_lemma: bool, lemmas: list[str] | None = None) -> list[dict]:
        """Token pattern for `term`: over lemmas (covers inflections) or over the exact lowercase surface
        (covers words the lemmatizer leaves alone or gets wrong, such as "jihadis" tagged as a proper noun)."""
        pattern: list[dict] = []
        position = 0
        for word in term.split(" "):
            if word == "<poss>":
                pattern.append({"LOWER": {"IN": _POSSESSIVES}})
                continue
            if word == "<gap>":
                pattern += [{"IS_PUNCT": False, "OP": "?"}] * _GAP_TOKENS
                continue
            for token in nlp.make_doc(word):
                if by_lemma:
                    # Single-token terms are written as lemmas; multi-token ones get theirs from the tagger.
                    lemma = lemmas[position] if lemmas else token.lower_
                    # Proper-noun lemmas keep their capital, and headlines are in capitals.
                    pattern.append({"LEMMA": {"IN": sorted({lemma, lemma.capitalize(), lemma.upper()})}})
                else:
                    pattern.append({"LOWER": token.lower_})
                position += 1
        return pattern

    def find(self, doc: Doc) -> list[dict]:
        """Loaded terms of one block, sorted by start, non-overlapping, offsets into `doc.text`."""
        candidates: list[tuple[Span, Entry]] = []
        for key, start, end in self._matcher(doc):
            entry = self._entries[key]
            span = doc[start:end]
            if self._accept(entry, span):
                candidates.append((span, entry))

        quotes: list[Quote] | None = None
        if candidates or (self.lexicon.scare_quotes and any(c in doc.text for c in "\"“‘'«")):
            quotes = find_quotes(doc)

        chosen: list[tuple[Span, Entry]] = []
        taken: set[int] = set()
        # Longest first, then the more severe: "wipe out" beats "wipe", "reign of terror" beats "terror".
        for span, entry in sorted(candidates, key=lambda c: (-(c[0].end - c[0].start), -c[1].severity, c[0].start)):
            positions = set(range(span.start, span.end))
            if positions & taken:
                continue
            taken |= positions
            chosen.append((span, entry))

        terms = [self._term(span, entry, quotes or []) for span, entry in chosen]
        if self.lexicon.scare_quotes and quotes:
            terms += self._scare_quotes(doc, quotes, terms)
        return sorted(terms, key=lambda term: term["start"])

    def _accept(self, entry: Entry, span: Span) -> bool:
        doc = span.doc
        content = [t for t in span if not t.is_punct]
        if entry.pos and not any(t.pos_ in entry.pos for t in content):
            return False
        if len(content) == 1 and (
            content[0].lemma_.lower() in self.lexicon.stoplist or content[0].lower_ in self.lexicon.stoplist
        ):
            return False
        if entry.except_before and span.start > 0 and _word_in(doc[span.start - 1], entry.except_before):
            return False
        if entry.except_after and span.end < len(doc) and _word_in(doc[span.end], entry.except_after):
            return False
        return not any(_in_name(token) for token in content)

    def _term(self, span: Span, entry: Entry, quotes: list[Quote]) -> dict:
        pair = self.lexicon.pairs.get(entry.term)
        notes = [text for text in (entry.note, pair.explanation if pair else None) if text]
        return {
            "start": span.start_char,
            "end": span.end_char,
            "text": span.text,
            "lemma": entry.term,
            "category": entry.category,
            "severity": entry.severity,
            "why": entry.why,
            "alternatives": list(entry.alternatives),
            "note": " ".join(notes) or None,
            "attributed": self._attribution.attribute(span, quotes),
        }

    def _scare_quotes(self, doc: Doc, quotes: list[Quote], terms: list[dict]) -> list[dict]:
        """Short quoted words in the author's own sentence: the marks themselves cast doubt ("the 'peace' deal")."""
        rule = self.lexicon.scare_quotes
        found = []
        for quote in quotes:
            if not quote.closed:
                continue
            inner_start, inner_end = quote.inner
            inner = doc.text[inner_start:inner_end]
            words = inner.split()
            if not 1 <= len(words) <= rule.max_words:
                continue
            # Titles, names and quoted sentences start with a capital or end in punctuation; scare quotes do not.
            if not inner[:1].islower() or inner.rstrip()[-1:] in ".!?,;:" or any(c.isdigit() for c in inner):
                continue
            if any(t["start"] < quote.end and quote.start < t["end"] for t in terms + found):
                continue
            if self._attribution.has_speaker_verb(doc, quote, quotes):
                continue
            span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
            if span is not None and any(_in_name(t) for t in span):
                continue
            found.append(
                {
                    "start": quote.start,
                    "end": quote.end,
                    "text": doc.text[quote.start : quote.end],
                    "lemma": "(scare quotes)",
                    "category": rule.category,
                    "severity": rule.severity,
                    "why": rule.why,
                    "alternatives": list(rule.alternatives),
                    "note": None,
                    "attributed": None,
                }
            )
        return found


def _without_placeholders(term: str) -> str:
    return " ".join(word for word in term.split(" ") if word not in ("<poss>", "<gap>"))


def _word_in(token: Token, words: tuple[str, ...]) -> bool:
    return token.lower_ in words or token.lemma_.lower() in words


def _in_name(token: Token) -> bool:
    """True when `token` is part of a proper name rather than the writer's choice of word."""
    if not token.text[:1].isupper():
        return False
    if token.ent_type_ in NAME_ENTITY_TYPES:
        entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        if entity is not None:
            capitalised = sum(1 for t in entity if t.text[:1].isupper())
            if capitalised >= 2:
                return True
            # A lone capitalised word: a surname or a place is a name, but NORP ("Jihadist", "Zionist") is a
            # label for a group of people, and a sentence-initial capital says nothing either way.
            if entity.label_ != "NORP" and not token.is_sent_start:
                return True
    if token.pos_ == "PROPN":
        neighbours = [token.doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(token.doc)]
        return any(n.pos_ == "PROPN" and n.text[:1].isupper() for n in neighbours)
    return False
