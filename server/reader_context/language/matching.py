"""Lexicon matches in a doc, filtered by context rules and widened to the unit a reader should see.

All terms are compiled into spaCy matchers once (two hash-based PhraseMatchers, over lowercase surface forms and
over lemmas, and a token Matcher for the few terms with placeholders), so a doc only pays for three matcher passes
plus a few checks per hit. Nothing here changes after construction, so one instance serves every thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .grammar import Grammar
from .lexicon import PLACEHOLDERS, Entry, Lexicon

# A <gap> stands for a short object between a verb and its particle ("wipe them out", "wipe the town out").
GAP_TOKENS = 3

Tagging = Callable[[Iterable[Doc]], Iterable[Doc]]


class Candidate(NamedTuple):
    span: Span  # what the reader sees flagged: the match, widened
    entry: Entry
    matched: Span  # the words the entry matched; an alternative replaces these and keeps the rest of `span`


class TermMatcher:
    """Accepted, widened lexicon matches of one doc, overlaps not yet resolved."""

    def __init__(self, lexicon: Lexicon, grammar: Grammar, nlp: Language, tag: Tagging):
        """`tag` runs whatever assigns POS and lemmas (tagger, lemmatizer) over docs: multi-word terms are
        matched on the lemmas the pipeline itself would give them."""
        self.lexicon = lexicon
        self.grammar = grammar
        # Plain words and phrases go to hash-based PhraseMatchers, whose cost does not grow with the size of the
        # lexicon; only the few terms with placeholders need the token-pattern Matcher.
        self._surface = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._lemmas = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._patterns = Matcher(nlp.vocab, validate=True)
        self._entries: dict[int, Entry] = {}
        self._senses = lexicon.senses
        self._domains = {name: frozenset(domain.words) for name, domain in (lexicon.senses.domains.items() if lexicon.senses else ())}
        # A label noun of this lexicon names people wherever it stands ("eradicated the extremists").
        labels = grammar.label_categories
        self._label_nouns = frozenset(
            word for entry in lexicon.entries
            if entry.category in labels and not entry.is_phrase and (not entry.pos or "NOUN" in entry.pos)
            for word in (entry.term, *entry.forms)
        )
        # The lemmas that open a placeholder term (a term never starts with a placeholder): a paragraph with
        # none of them skips the token Matcher, whose set predicates are evaluated in Python, token by token.
        self._openers: set[int] = set()
        lemmas = self._term_lemmas(nlp, tag)
        for entry in lexicon.entries:
            key = f"reader_context_terms:{entry.id}"
            self._entries[nlp.vocab.strings.add(key)] = entry
            surfaces = [nlp.make_doc(form) for form in entry.forms]
            if any(word in PLACEHOLDERS for word in entry.term.split(" ")):
                self._patterns.add(key, [self._pattern(nlp, entry.term, lemmas[entry.term])], greedy="LONGEST")
            else:
                surface = nlp.make_doc(entry.term)
                self._lemmas.add(key, _lemma_docs(nlp, surface, lemmas[entry.term]))
                surfaces.append(surface)
            if surfaces:
                self._surface.add(key, surfaces)

    def _term_lemmas(self, nlp: Language, tag: Tagging) -> dict[str, list[str]]:
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
        docs = tag(nlp.make_doc(_without_placeholders(term)) for term in phrases)
        for term, doc in zip(phrases, docs):
            lemmas[term] = [t.lemma_.lower() or t.lower_ for t in doc]
        return lemmas

    def _pattern(self, nlp: Language, term: str, lemmas: list[str]) -> list[dict]:
        """Token pattern for a term with placeholders, each word matched on its lemma."""
        pattern: list[dict] = []
        position = 0
        for word in term.split(" "):
            if word == "<poss>":
                pattern.append({"LOWER": {"IN": sorted(self.grammar.possessives)}})
            elif word == "<gap>":
                pattern += [{"IS_PUNCT": False, "OP": "?"}] * GAP_TOKENS
            else:
                for _ in nlp.make_doc(word):
                    lemma = lemmas[position]
                    forms = sorted({lemma, lemma.capitalize(), lemma.upper()})
                    if not pattern:
                        self._openers |= {nlp.vocab.strings.add(form) for form in forms}
                    pattern.append({"LEMMA": {"IN": forms}})
                    position += 1
        return pattern

    def __call__(self, doc: Doc, headline: bool) -> list[Candidate]:
        candidates = []
        # An empty Matcher warns on every doc, and a lexicon of one's own may have no placeholder terms.
        opens = len(self._patterns) and not self._openers.isdisjoint(doc.to_array(LEMMA).tolist())
        patterns = self._patterns(doc) if opens else []
        for key, start, end in {*self._surface(doc), *self._lemmas(doc), *patterns}:
            entry = self._entries[key]
            span = doc[start:end]
            if self._accept(entry, span, headline):
                candidates.append((span, entry))
        return self._widened(candidates)

    def _widened(self, candidates: list[tuple[Span, Entry]]) -> list[Candidate]:
        """Widen a match to the loaded unit the reader should see, in three cases.

        An intensifying adverb takes in the adjective it modifies ("utterly unacceptable"): the reader should
        see what is being inflated. A loaded adjective or adverb takes in a plain degree word before it ("so
        vile", "truly shameful"). A label noun takes in the plain modifiers that say whom it is pinned on
        ("pathological liar", "schoolyard bullies"). A word that is a term of its own always keeps its own
        explanation instead, and names are never swallowed.
        """
        covered = {token.i for span, _ in candidates for token in span}
        labels = self.grammar.label_categories
        widened = []
        for matched, entry in candidates:
            span = matched
            doc = span.doc
            if entry.category == "intensifier" and "ADV" in entry.pos and span.end < len(doc):
                following = doc[span.end]
                if following.pos_ in ("ADJ", "ADV") and span.root.head.i == following.i and following.i not in covered:
                    span = doc[span.start : span.end + 1]
            elif len(span) == 1 and span.start > 0 and span[0].pos_ in ("ADJ", "ADV"):
                before = doc[span.start - 1]
                degree = before.lower_ in self.grammar.degree_words
                if degree and before.head.i == span.start and before.i not in covered:
                    span = doc[span.start - 1 : span.end]
            elif len(span) == 1 and span[0].pos_ in ("NOUN", "PROPN") and entry.category in labels:
                start = span.start
                while start > 0 and self._plain_modifier(doc[start - 1], span.start, covered):
                    start -= 1
                span = doc[start : span.end]
            widened.append(Candidate(span, entry, matched))
        return widened

    def _accept(self, entry: Entry, span: Span, headline: bool) -> bool:
        doc = span.doc
        content = [t for t in span if not t.is_punct]
        # Hyphenated forms ("anti-Semite") split into several tokens whose tags say nothing about the whole.
        if entry.pos and len(content) == 1 and not _pos_allowed(content[0], entry):
            return False
        stoplist = self.lexicon.stoplist
        if len(content) == 1 and (content[0].lemma_.lower() in stoplist or content[0].lower_ in stoplist):
            return False
        if entry.except_before and span.start > 0 and _word_in(doc[span.start - 1], entry.except_before):
            return False
        if entry.except_after and span.end < len(doc) and _word_in(doc[span.end], entry.except_after):
            return False
        if any(self.in_name(token, span, headline) for token in content):
            return False
        return self._in_loaded_sense(entry, span, headline)

    def _in_loaded_sense(self, entry: Entry, span: Span, headline: bool) -> bool:
        """The entry's sense constraints (lexicon `senses`): literal uses are left alone."""
        first = span[0]
        # A capital inside a sentence marks the name; in a headline only the entity recogniser can tell.
        if entry.name_is_literal and first.text[:1].isupper():
            if first.ent_type_ == "EVENT" or not (headline or first.is_sent_start):
                return False
        if not (entry.applies_to or entry.literal_with):
            return True
        target = _target(span)
        if entry.applies_to and target is not None and not self._in_classes(target, entry.applies_to):
            return False
        if not entry.literal_with:
            return True
        sentence = [t for t in span.sent if not span.start <= t.i < span.end]
        # Said of people, a word is in its loaded sense whatever else the sentence is about ("evil men"), except
        # in domains that are about people themselves (sport: rivals are "crushed" in a cup final).
        if target is not None and self._in_classes(target, ("people", "groups")):
            domains = [name for name in entry.literal_with if self._senses.domains[name].about_people]
            words = sentence
        elif target is not None:
            domains = list(entry.literal_with)
            words = [target, *(c for c in target.children if c.dep_ in ("compound", "amod"))]
        else:
            domains = [name for name in entry.literal_with if not self._senses.domains[name].target_only]
            words = sentence
        domain = self._domain_words(tuple(domains))
        return not any(t.lemma_.lower() in domain or t.lower_ in domain for t in words)

    def _in_classes(self, token: Token, names: tuple[str, ...]) -> bool:
        lemma, lower = token.lemma_.lower(), token.lower_
        if lemma in self._label_nouns or lower in self._label_nouns:
            return True
        for name in names:
            sense = self._senses.classes.get(name)
            if sense is None:
                continue
            if token.ent_type_ in sense.entity_types or lemma in sense.words or lower in sense.words:
                return True
        return False

    def _domain_words(self, names: tuple[str, ...]) -> frozenset[str]:
        return frozenset().union(*(self._domains[name] for name in names))

    def _plain_modifier(self, word: Token, head: int, covered: set[int]) -> bool:
        """An adjective or noun modifier of the label at `head` that adds to whom it is pinned on: not a term of
        its own, not a name, number, function word or factual qualifier ("former"), and not half of a longer
        modifier ("politically correct", "free trade", "anti-war")."""
        return (
            word.i not in covered
            and word.head.i == head
            and word.dep_ in ("amod", "compound")
            and word.pos_ in ("ADJ", "NOUN")
            and not word.is_stop
            and word.lower_ not in self.grammar.factual_qualifiers
            and word.ent_type_ not in self.grammar.name_entity_types
            and not word.n_lefts
            and not (word.i > 0 and word.doc[word.i - 1].text == "-" and not word.doc[word.i - 1].whitespace_)
        )

    def in_name(self, token: Token, span: Span, headline: bool) -> bool:
        """True when `token` is part of a proper name that reaches beyond the matched words.

        "Liberation" in "Liberation Army" and "Savage" in "Michael Savage" are names; "Deep State" capitalised
        is still the loaded phrase itself, because the capitalised run is exactly the match. In a Title Case
        headline every word is capitalised and tagged PROPN, so only a multi-word entity counts there.
        """
        if not token.text[:1].isupper():
            return False
        if token.ent_type_ in self.grammar.name_entity_types:
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


def longest_then_severest(candidates: list[Candidate]) -> list[Candidate]:
    """The overlap policy: non-overlapping candidates, longest first, then the more severe ("reign of terror"
    beats "terror"); the term breaks the last ties so that the same text always gives the same answer."""
    chosen: list[Candidate] = []
    taken: set[int] = set()
    for candidate in sorted(candidates, key=lambda c: (c.span.start - c.span.end, -c.entry.severity, c.span.start,
                                                       c.entry.term)):
        positions = set(range(candidate.span.start, candidate.span.end))
        if not positions & taken:
            taken |= positions
            chosen.append(candidate)
    return chosen


def _lemma_docs(nlp: Language, surface: Doc, lemmas: list[str]) -> list[Doc]:
    # Proper-noun lemmas keep their capital ("Jihadis"), and headlines are in capitals.
    variants = {tuple(lemmas), tuple(l.capitalize() for l in lemmas), tuple(l.upper() for l in lemmas)}
    words = [t.text for t in surface]
    spaces = [bool(t.whitespace_) for t in surface]
    return [Doc(nlp.vocab, words=words, spaces=spaces, lemmas=list(variant)) for variant in sorted(variants)]


def _target(span: Span) -> Token | None:
    """What the matched word is applied to: a verb's object (or passive subject), the word an adverb modifies, the
    noun an adjective or a modifying noun describes (or the subject an adjective is said of), the "of" phrase of a
    noun ("the elimination of ...")."""
    root = span.root
    if root.pos_ in ("VERB", "AUX"):
        # An object inside the match is the idiom's own ("wreak havoc"): what it is said of is elsewhere.
        objects = [c for c in root.children if c.dep_ in ("dobj", "obj", "nsubjpass") and c not in span]
        return _counted(objects[0]) if objects else None
    if root.pos_ == "ADV" and root.dep_ == "advmod" and root.head not in span:
        return root.head
    if root.pos_ == "ADJ":
        # "corrupt and evil men": a conjoined adjective describes what the first one does.
        while root.dep_ == "conj" and root.head.pos_ == "ADJ" and root.head.i != root.i:
            root = root.head
        if root.dep_ == "amod" and root.head.i != root.i:
            return root.head
        if root.dep_ in ("acomp", "attr"):
            subjects = [c for c in root.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            return subjects[0] if subjects else None
        return None
    if root.pos_ in ("NOUN", "PROPN"):
        # A noun that modifies a noun classifies it: "terrorist infiltration" is said of an infiltration.
        if root.dep_ in ("compound", "amod") and root.head.pos_ in ("NOUN", "PROPN") and root.head not in span:
            return root.head
        for prep in root.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                return objects[0] if objects else None
    return None


def _counted(token: Token) -> Token | None:
    """"millions of people" are people; a bare count ("annihilated millions") could be of anything, so it is
    no evidence either way."""
    if token.pos_ != "NUM" and token.lemma_.lower() not in ("million", "thousand", "hundred", "dozen", "billion"):
        return token
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            return objects[0] if objects else None
    return None


def _without_placeholders(term: str) -> str:
    return " ".join(word for word in term.split(" ") if word not in PLACEHOLDERS)


def _word_in(token: Token, words: tuple[str, ...]) -> bool:
    return token.lower_ in words or token.lemma_.lower() in words


def _pos_allowed(token: Token, entry: Entry) -> bool:
    pos = token.pos_
    # An uninflected "verb" the parser attaches to a noun as its compound modifier is a noun the tagger misread
    # ("the navy's torpedo boats"); an inflected one ("eradicates") is a verb whatever the parse says.
    if pos == "VERB" and token.dep_ == "compound" and token.tag_ in ("VB", "VBP"):
        pos = "NOUN"
    if pos in entry.pos:
        return True
    # The tagger calls capitalised words in headlines PROPN, and reads participle-like adjectives ("sordid",
    # "horrifying") as verbs; the exact adjective form is still the adjective, and names are the name guard's job.
    if pos == "PROPN":
        return bool({"NOUN", "ADJ"} & set(entry.pos))
    return pos == "VERB" and "ADJ" in entry.pos and token.lower_ in (entry.term, *entry.forms)
