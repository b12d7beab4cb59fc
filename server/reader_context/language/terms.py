"""The spaCy component `reader_context_terms`: loaded terms of a doc as a span group, shaped like spaCy's SpanRuler.

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("reader_context_terms")
    doc = nlp(text)
    doc.spans["loaded_terms"]              # one Span per loaded term, label_ = category
    span._.loaded_term, span._.attributed  # the lexicon entry, its alternatives fitted to the sentence; who is
                                           # speaking (None: the outlet's own voice)
    term_records(doc)                      # the same as plain dicts, the shape of the API's `terms`

The lexicon and grammar paths are config, so `nlp.to_disk` saves everything the component needs. Its matchers are
compiled on the first doc rather than in the factory: `spacy.load` builds components before the tagger's weights
are read, and the lemmas of multi-word terms come from the tagger.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from .grammar import GrammarError, load_grammar
from .lexicon import Lexicon, ScareQuotes, load_lexicon
from ..casing import is_headline
from . import inflection
from .matching import TermMatcher, longest_then_severest
from .quotes import Attribution, Quote, find_quotes
from .records import SPANS_KEY, loaded_term, scare_quotes_term

NAME = "reader_context_terms"

# What the matcher and the attribution rules read, and which component usually provides it.
_NEEDED = {"token.dep": "a parser", "token.lemma": "a lemmatizer", "token.tag": "a tagger"}


class Found(NamedTuple):
    """One loaded term found by `match`: the words, the lexicon entry as a plain dict (its alternatives fitted to
    the words' sentence, none inside a direct quotation), and who is speaking."""

    span: Span
    loaded_term: dict
    attributed: dict | None


@Language.factory(
    NAME,
    default_config={"spans_key": SPANS_KEY, "lexicon": "", "grammar": "", "scare_quotes": True},
    # token.pos too, but the English pipelines' attribute_ruler sets it from the tags without declaring it.
    requires=["token.tag", "token.lemma", "token.dep", "token.ent_type", "doc.sents"],
    assigns=["doc.spans", "span._.loaded_term", "span._.attributed"],
)
def make_loaded_terms(
    nlp: Language, name: str, spans_key: str, lexicon: str, grammar: str, scare_quotes: bool
) -> LoadedTerms:
    """`lexicon` and `grammar` are file paths; empty means the data packaged with Reader Context."""
    _check_pipeline(nlp, name)
    return LoadedTerms(nlp, name, spans_key=spans_key, lexicon=lexicon, grammar=grammar, scare_quotes=scare_quotes)


class LoadedTerms:
    """Finds loaded terms (`match`) and writes them to `doc.spans[spans_key]` (`set_annotations`).

    Thread-safe: after the one-time build, which a lock guards, nothing is written but the doc.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = NAME,
        *,
        spans_key: str = SPANS_KEY,
        lexicon: str | Path | Lexicon = "",
        grammar: str | Path = "",
        scare_quotes: bool = True,
    ):
        _register_extensions()
        self.name = name
        self.spans_key = spans_key
        self.lexicon = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon or None)
        self.grammar = load_grammar(str(grammar) if grammar else None)
        unknown = self.grammar.label_categories - set(self.lexicon.categories)
        if unknown:
            raise GrammarError(f"grammar: field 'label_categories': {sorted(unknown)[0]!r} is not a lexicon category")
        self.scare_quotes: ScareQuotes | None = self.lexicon.scare_quotes if scare_quotes else None
        self._nlp = nlp
        self._attribution = Attribution(self.lexicon.reporting_verbs, self.grammar)
        self._entries = {entry.id: loaded_term(entry, self.lexicon) for entry in self.lexicon.entries}
        self._quoted = {entry.id: loaded_term(entry, self.lexicon, quoted=True) for entry in self.lexicon.entries}
        self._lock = threading.Lock()
        self._matcher: TermMatcher | None = None

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Found]:
        """Loaded terms of `doc`, non-overlapping, sorted by start."""
        if len(doc) and not (doc.has_annotation("DEP") and doc.has_annotation("POS")):
            raise ValueError(f"[{self.name}] the doc has no parse or tags: run it through the whole pipeline "
                             f"(nlp(text)), not only the tokenizer, and keep the tagger and parser enabled")
        headline = is_headline(doc)
        chosen = longest_then_severest(self._ready()(doc, headline))
        quotes: list[Quote] = []
        # doc.text is rebuilt from the tokens on every access: read it once.
        if chosen or (self.scare_quotes and _has_quote_mark(doc.text)):
            quotes = find_quotes(doc)
        found = []
        for span, entry, matched in chosen:
            attributed = self._attribution.attribute(span, quotes)
            if attributed and attributed["quote"]:
                term = self._quoted[entry.id]
            else:
                term = {**self._entries[entry.id], "alternatives": inflection.fit(entry, span, matched)}
            found.append(Found(span, term, attributed))
        if self.scare_quotes and quotes:
            found += self._scare_quotes(doc, quotes, found, headline)
        return sorted(found, key=lambda f: f.span.start_char)

    def set_annotations(self, doc: Doc, found: list[Found]) -> None:
        spans = []
        for span, entry, attributed in found:
            span = Span(doc, span.start, span.end, label=entry["category"])
            # A copy per span: a caller editing one doc's entry must not change the next doc's.
            span._.loaded_term = {**entry, "alternatives": list(entry["alternatives"])}
            span._.attributed = attributed
            spans.append(span)
        doc.spans[self.spans_key] = spans

    def _ready(self) -> TermMatcher:
        matcher = self._matcher
        if matcher is None:
            with self._lock:
                if self._matcher is None:
                    inflection.load()
                    self._matcher = TermMatcher(self.lexicon, self.grammar, self._nlp, self._tag)
                matcher = self._matcher
        return matcher

    def _tag(self, docs):
        """Run the components before this one over `docs`, as the pipeline itself would."""
        for _, component in self._nlp.pipeline:
            if component is self:
                break
            docs = component.pipe(docs) if hasattr(component, "pipe") else map(component, docs)
        return docs

    def _scare_quotes(self, doc: Doc, quotes: list[Quote], terms: list[Found], headline: bool) -> list[Found]:
        """Short quoted words in the author's own sentence: the marks themselves cast doubt ("the 'peace' deal")."""
        rule = self.scare_quotes
        taken = [(f.span.start_char, f.span.end_char) for f in terms]
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
            if any(start < quote.end and quote.start < end for start, end in taken):
                continue
            # A quoted word that fills a noun-phrase slot ("the 'peace' plan", "their 'experts'") is held at arm's
            # length; a quoted fragment anywhere else is usually just someone's words.
            before = doc.char_span(0, quote.start, alignment_mode="contract")
            if before is None or not len(before) or before[-1].lower_ not in self.grammar.scare_determiners:
                continue
            if self._attribution.has_speaker_verb(doc, quote, quotes):
                continue
            # A span group holds whole tokens: a mark glued inside a token ('"peace"-loving') cannot be a span.
            span = doc.char_span(quote.start, quote.end)
            if span is None or any(self._matcher.in_name(t, span, headline) for t in span):
                continue
            # '"to do" list' or '"it"' quote a function word, not a concept the writer distances itself from.
            if not any(t.is_alpha and not t.is_stop for t in span):
                continue
            found.append(Found(span, scare_quotes_term(rule, inner.strip()), None))
            taken.append((quote.start, quote.end))
        return found

    def __getstate__(self) -> dict:
        # Locks cannot be pickled, and the compiled matchers are rebuilt from the lexicon on the first doc.
        return {**self.__dict__, "_lock": None, "_matcher": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()


def _register_extensions() -> None:
    # Registered once, and never with force=True: a second registration must not wipe values on live docs.
    for name in ("loaded_term", "attributed"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def _check_pipeline(nlp: Language, name: str) -> None:
    assigned = {attr for pipe in nlp.component_names for attr in nlp.get_pipe_meta(pipe).assigns}
    if "token.pos" in assigned:  # a morphologizer gives POS without tags, and POS is what the matcher reads
        assigned.add("token.tag")
    missing = [f"{attr} ({who})" for attr, who in _NEEDED.items() if attr not in assigned]
    if missing:
        raise ValueError(
            f"[{name}] needs a trained pipeline with a tagger, lemmatizer and parser before it; "
            f"{nlp.component_names or 'this blank pipeline'} assigns no {', '.join(missing)}. "
            f"Start from one, e.g. nlp = spacy.load('en_core_web_sm'); nlp.add_pipe({name!r})"
        )


def _has_quote_mark(text: str) -> bool:
    return any(c in text for c in "\"\u201c\u2018'\u00ab")
