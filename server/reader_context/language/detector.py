"""Find loaded terms in a paragraph: lexicon matches filtered by context rules, with who is speaking.

All terms are compiled into spaCy matchers once, when the detector is built (two hash-based PhraseMatchers,
over lowercase surface forms and over lemmas, and a token Matcher for the few terms with placeholders), so a
request only pays for three matcher passes plus a few checks per hit.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .lexicon import PLACEHOLDERS, Entry, Lexicon
from .quotes import Attribution, Quote, find_quotes

# Entity types that make up names: a loaded word inside "Islamic State" or "Liberation Army" is part of what
# the group is called, and flagging it would lecture the reader about a name the writer cannot change.
NAME_ENTITY_TYPES = frozenset(
    {"ORG", "GPE", "PERSON", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "LOC", "PRODUCT"}
)
_POSSESSIVES = ["my", "your", "his", "her", "its", "our", "their", "one's", "whose"]
_SCARE_DETERMINERS = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "their", "its", "his", "her", "our", "your", "so-called"}
)
# Degree words that carry no judgement of their own but inflate the loaded adjective they modify.
_DEGREE_WORDS = frozenset(
    {"so", "very", "too", "most", "truly", "simply", "really", "completely", "thoroughly", "deeply",
     "particularly", "especially", "equally", "willfully", "wilfully", "genuinely", "positively", "just", "plain"}
)
# Categories whose nouns are labels pinned on people; their modifiers are part of the label.
_LABEL_CATEGORIES = frozenset({"pejorative", "contentious_label", "dehumanising_metaphor"})
_FACTUAL_QUALIFIERS = frozenset(
    {"former", "alleged", "suspected", "accused", "convicted", "known", "current", "new", "old", "young", "local",
     "foreign", "senior", "top", "leading", "prominent", "fellow", "potential", "possible", "real", "actual"}
)
# A <gap> stands for a short object between a verb and its particle ("wipe them out", "wipe the town out").
_GAP_TOKENS = 3


class TermDetector:
    """Loaded-term finder for one lexicon and one spaCy pipeline; thread-safe once built."""

    def __init__(self, lexicon: Lexicon, nlp: Language):
        self.lexicon = lexicon
        self._attribution = Attribution(lexicon.reporting_verbs)
        # Plain words and phrases go to hash-based PhraseMatchers, whose cost does not grow with the size of the
        # lexicon; only the few terms with placeholders need the token-pattern Matcher.
        self._surface = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._lemmas = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._patterns = Matcher(nlp.vocab, validate=True)
        self._entries: dict[int, Entry] = {}
        self._build(nlp)

    def _build(self, nlp: Language) -> None:
        lemmas = self._term_lemmas(nlp)
        for index, entry in enumerate(self.lexicon.entries):
            key = f"loaded-term-{index}"
            self._entries[nlp.vocab.strings.add(key)] = entry
            surfaces = [nlp.make_doc(form) for form in entry.forms]
            if any(word in PLACEHOLDERS for word in entry.term.split(" ")):
                self._patterns.add(key, [self._pattern(nlp, entry.term, lemmas[entry.term])], greedy="LONGEST")
            else:
                surface = nlp.make_doc(entry.term)
                self._lemmas.add(key, self._lemma_docs(nlp, surface, lemmas[entry.term]))
                surfaces.append(surface)
            if surfaces:
                self._surface.add(key, surfaces)

    def _term_lemmas(self, nlp: Language) -> dict[str, list[str]]:
        """Lemmas of every term, placeholders left out, so "on its last legs" also matches "on its last leg".

        Single-token terms are written as lemmas already; phrases get theirs from the tagger and lemmatizer.
        """
        lemmas: dict[str, list[str]] = {}
        phrases: list[str] = []
        for entry in self.lexicon.entries:
            words = nlp.make_doc(_without_placeholders(entry.term))
            if len(words) == 1:
                lemmas[entry.term] = [words[0].lower_]
            else:
                phrases.append(entry.term)
        tagging = [p for p in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer") if p in nlp.pipe_names]
        with nlp.select_pipes(enable=tagging):
            for term, doc in zip(phrases, nlp.pipe(_without_placeholders(term) for term in phrases)):
                lemmas[term] = [t.lemma_.lower() or t.lower_ for t in doc]
        return lemmas

    @staticmethod
    def _lemma_docs(nlp: Language, surface: Doc, lemmas: list[str]) -> list[Doc]:
        # Proper-noun lemmas keep their capital ("Jihadis"), and headlines are in capitals.
        variants = {tuple(lemmas), tuple(l.capitalize() for l in lemmas), tuple(l.upper() for l in lemmas)}
        words = [t.text for t in surface]
        spaces = [bool(t.whitespace_) for t in surface]
        return [Doc(nlp.vocab, words=words, spaces=spaces, lemmas=list(variant)) for variant in sorted(variants)]

    @staticmethod
    def _pattern(nlp: Language, term: str, lemmas: list[str]) -> list[dict]:
        """Token pattern for a term with placeholders, each word matched on its lemma."""
        pattern: list[dict] = []
        position = 0
        for word in term.split(" "):
            if word == "<poss>":
                pattern.append({"LOWER": {"IN": _POSSESSIVES}})
            elif word == "<gap>":
                pattern += [{"IS_PUNCT": False, "OP": "?"}] * _GAP_TOKENS
            else:
                for _ in nlp.make_doc(word):
                    lemma = lemmas[position]
                    pattern.append({"LEMMA": {"IN": sorted({lemma, lemma.capitalize(), lemma.upper()})}})
                    position += 1
        return pattern

    def find(self, doc: Doc) -> list[dict]:
        """Loaded terms of one block, sorted by start, non-overlapping, offsets into `doc.text`."""
        candidates: list[tuple[Span, Entry]] = []
        headline = _is_headline(doc)
        hits = {*self._surface(doc), *self._lemmas(doc), *self._patterns(doc)}
        for key, start, end in hits:
            entry = self._entries[key]
            span = doc[start:end]
            if self._accept(entry, span, headline):
                candidates.append((span, entry))

        candidates = self._widened(candidates)

        quotes: list[Quote] | None = None
        # doc.text is rebuilt from the tokens on every access: read it once.
        if candidates or (self.lexicon.scare_quotes and _has_quote_mark(doc.text)):
            quotes = find_quotes(doc)

        chosen: list[tuple[Span, Entry]] = []
        taken: set[int] = set()
        # Longest first, then the more severe: "reign of terror" beats "terror"; the term breaks the last ties so
        # that the same text always gives the same answer.
        ranked = sorted(candidates, key=lambda c: (c[0].start - c[0].end, -c[1].severity, c[0].start, c[1].term))
        for span, entry in ranked:
            positions = set(range(span.start, span.end))
            if positions & taken:
                continue
            taken |= positions
            chosen.append((span, entry))

        terms = [self._term(span, entry, quotes or []) for span, entry in chosen]
        if self.lexicon.scare_quotes and quotes:
            terms += self._scare_quotes(doc, quotes, terms, headline)
        return sorted(terms, key=lambda term: term["start"])

    @staticmethod
    def _widened(candidates: list[tuple[Span, Entry]]) -> list[tuple[Span, Entry]]:
        """Widen a match to the loaded unit the reader should see, in three cases.

        An intensifying adverb takes in the adjective it modifies ("utterly unacceptable"): the reader should
        see what is being inflated. A loaded adjective or adverb takes in a plain degree word before it ("so
        vile", "truly shameful"). A label noun takes in the plain modifiers that say whom it is pinned on
        ("pathological liar", "schoolyard bullies"). A word that is a term of its own always keeps its own
        explanation instead, and names are never swallowed.
        """
        covered = {token.i for span, _ in candidates for token in span}
        widened = []
        for span, entry in candidates:
            doc = span.doc
            if entry.category == "intensifier" and "ADV" in entry.pos and span.end < len(doc):
                following = doc[span.end]
                if following.pos_ in ("ADJ", "ADV") and span.root.head.i == following.i and following.i not in covered:
                    span = doc[span.start : span.end + 1]
            elif len(span) == 1 and span.start > 0 and span[0].pos_ in ("ADJ", "ADV"):
                before = doc[span.start - 1]
                if before.lower_ in _DEGREE_WORDS and before.head.i == span.start and before.i not in covered:
                    span = doc[span.start - 1 : span.end]
            elif len(span) == 1 and span[0].pos_ in ("NOUN", "PROPN") and entry.category in _LABEL_CATEGORIES:
                start = span.start
                while start > 0 and _plain_modifier(doc[start - 1], span.start, covered):
                    start -= 1
                span = doc[start : span.end]
            widened.append((span, entry))
        return widened

    def _accept(self, entry: Entry, span: Span, headline: bool) -> bool:
        doc = span.doc
        content = [t for t in span if not t.is_punct]
        # Hyphenated forms ("anti-Semite") split into several tokens whose tags say nothing about the whole.
        if entry.pos and len(content) == 1 and not _pos_allowed(content[0], entry):
            return False
        if len(content) == 1 and (
            content[0].lemma_.lower() in self.lexicon.stoplist or content[0].lower_ in self.lexicon.stoplist
        ):
            return False
        if entry.except_before and span.start > 0 and _word_in(doc[span.start - 1], entry.except_before):
            return False
        if entry.except_after and span.end < len(doc) and _word_in(doc[span.end], entry.except_after):
            return False
        return not any(_in_name(token, span, headline) for token in content)

    def _term(self, span: Span, entry: Entry, quotes: list[Quote]) -> dict:
        pair = self.lexicon.pairs.get(entry.term)
        notes = [text for text in (entry.note, pair.explanation if pair else None) if text]
        return {
            "start": span.start_char,
            "end": span.end_char,
            "text": span.text,
            "lemma": _display(entry.term),
            "category": entry.category,
            "severity": entry.severity,
            "why": entry.why,
            "alternatives": list(entry.alternatives),
            "note": " ".join(notes) or None,
            "attributed": self._attribution.attribute(span, quotes),
        }

    def _scare_quotes(self, doc: Doc, quotes: list[Quote], terms: list[dict], headline: bool) -> list[dict]:
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
            # A quoted word that fills a noun-phrase slot ("the 'peace' plan", "their 'experts'") is held at arm's
            # length; a quoted fragment anywhere else is usually just someone's words.
            before = doc.char_span(0, quote.start, alignment_mode="contract")
            if before is None or not len(before) or before[-1].lower_ not in _SCARE_DETERMINERS:
                continue
            if self._attribution.has_speaker_verb(doc, quote, quotes):
                continue
            span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
            if span is None or any(_in_name(t, span, headline) for t in span):
                continue
            # '"to do" list' or '"it"' quote a function word, not a concept the writer distances itself from.
            if not any(t.is_alpha and not t.is_stop for t in span):
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


def _plain_modifier(word: Token, head: int, covered: set[int]) -> bool:
    """An adjective or noun modifier of the label at `head` that adds to whom it is pinned on: not a term of its
    own, not a name, number, function word or factual qualifier ("former"), and not half of a longer modifier
    ("politically correct", "free trade", "anti-war")."""
    return (
        word.i not in covered
        and word.head.i == head
        and word.dep_ in ("amod", "compound")
        and word.pos_ in ("ADJ", "NOUN")
        and not word.is_stop
        and word.lower_ not in _FACTUAL_QUALIFIERS
        and word.ent_type_ not in NAME_ENTITY_TYPES
        and not word.n_lefts
        and not (word.i > 0 and word.doc[word.i - 1].text == "-" and not word.doc[word.i - 1].whitespace_)
    )


def _display(term: str) -> str:
    """The term as a reader should see it: "on one's last legs", "wipe … out"."""
    return term.replace("<poss>", "one's").replace("<gap>", "…")


def _has_quote_mark(text: str) -> bool:
    return any(c in text for c in "\"\u201c\u2018'\u00ab")


def _without_placeholders(term: str) -> str:
    return " ".join(word for word in term.split(" ") if word not in PLACEHOLDERS)


def _word_in(token: Token, words: tuple[str, ...]) -> bool:
    return token.lower_ in words or token.lemma_.lower() in words


def _is_headline(doc: Doc) -> bool:
    """Title Case or ALL CAPS text, where capitals say nothing about names."""
    words = [t for t in doc if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(1 for t in words if t.text[0].isupper()) >= 0.7 * len(words)


def _pos_allowed(token: Token, entry: Entry) -> bool:
    if token.pos_ in entry.pos:
        return True
    # The tagger calls capitalised words in headlines PROPN, and reads participle-like adjectives ("sordid",
    # "horrifying") as verbs; the exact adjective form is still the adjective, and names are the name guard's job.
    if token.pos_ == "PROPN":
        return bool({"NOUN", "ADJ"} & set(entry.pos))
    return token.pos_ == "VERB" and "ADJ" in entry.pos and token.lower_ in (entry.term, *entry.forms)


def _in_name(token: Token, span: Span, headline: bool) -> bool:
    """True when `token` is part of a proper name that reaches beyond the matched words.

    "Liberation" in "Liberation Army" and "Savage" in "Michael Savage" are names; "Deep State" capitalised
    is still the loaded phrase itself, because the capitalised run is exactly the match. In a Title Case
    headline every word is capitalised and tagged PROPN, so only a multi-word entity counts there.
    """
    if not token.text[:1].isupper():
        return False
    if token.ent_type_ in NAME_ENTITY_TYPES:
        entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        if entity is not None:
            if any(t.text[:1].isupper() and not span.start <= t.i < span.end for t in entity):
                return True
            if headline:
                return False
            # A lone capitalised word: a surname or a place is a name, but NORP ("Jihadist", "Zionist") is a
            # label for a group of people, and a sentence-initial capital says nothing either way.
            if len(entity) == 1 and entity.label_ != "NORP" and not token.is_sent_start:
                return True
    if token.pos_ == "PROPN" and not headline:
        neighbours = [token.doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(token.doc)]
        return any(n.pos_ == "PROPN" and n.text[:1].isupper() for n in neighbours)
    return False
