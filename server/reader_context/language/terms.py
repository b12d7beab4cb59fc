"""The spaCy component `reader_context_terms`: loaded terms of a doc as a span group, shaped like spaCy's SpanRuler.

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("reader_context_terms")
    doc = nlp(text)
    doc.spans["loaded_terms"]              # one Span per loaded term, label_ = category
    span._.loaded_term, span._.attributed  # the lexicon entry, its alternatives fitted to the sentence; who is
                                           # speaking (None: the outlet's own voice)
    span._.reported                        # in the outlet's voice, reporting someone's words: whose
    span._.phrase                          # the expression the word loads ("savage gunmen" for "savage")
    doc.spans["quoted"]                    # the stretches in someone else's words
    term_records(doc)                      # the same as plain dicts, the shape of the API's `terms`

`nlp(text)` reads a doc as a whole text. The blocks of one article are read together, so that a quotation,
a blockquote or a transcript running over several of them keeps its voice and speaker:
`nlp.get_pipe("reader_context_terms").read_article(docs, kinds)`.

The lexicon and grammar paths are config, so `nlp.to_disk` saves everything the component needs. Its matchers are
compiled on the first doc rather than in the factory: `spacy.load` builds components before the tagger's weights
are read, and the lemmas of multi-word terms come from the tagger.
"""

from __future__ import annotations

import bisect
import threading
from pathlib import Path
from typing import NamedTuple, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from .grammar import GrammarError, load_grammar
from .lexicon import Entry, Lexicon, ScareQuotes, load_lexicon
from ..casing import is_headline
from ..doctext import text_of
from . import inflection
from .matching import TermMatcher, longest_then_severest
from .phrases import phrase_bounds
from .records import QUOTED_KEY, SCARE_QUOTES_LEMMA, SPANS_KEY, loaded_term, scare_quotes_term
from .introductions import Introductions
from .speakers import Speakers
from .voices import BLOCK_KINDS, BlockVoice, Voices

NAME = "reader_context_terms"

# What the matcher and the attribution rules read, and which component usually provides it.
_NEEDED = {"token.dep": "a parser", "token.lemma": "a lemmatizer", "token.tag": "a tagger"}


class Found(NamedTuple):
    """One loaded term found by `match`: the words, the lexicon entry as a plain dict (its alternatives fitted to
    the words' sentence, none inside a direct quotation), who is speaking (`{"quote": True, "speaker": ...}`, None
    in the outlet's voice) and, in the outlet's voice, whose words it reports (`{"speaker": ...}`, None when it
    reports no one)."""

    span: Span
    loaded_term: dict
    attributed: dict | None
    reported: dict | None = None


@Language.factory(
    NAME,
    default_config={"spans_key": SPANS_KEY, "lexicon": "", "grammar": "", "scare_quotes": True},
    # token.pos too, but the English pipelines' attribute_ruler sets it from the tags without declaring it.
    requires=["token.tag", "token.lemma", "token.dep", "token.ent_type", "doc.sents"],
    assigns=["doc.spans", "span._.loaded_term", "span._.attributed", "span._.reported"],
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
        self._speakers = Speakers(self.lexicon.reporting_verbs, self.grammar)
        self._voices = Voices(self._speakers, Introductions(self._speakers, self.grammar))
        self._entries = {entry.id: loaded_term(entry, self.lexicon) for entry in self.lexicon.entries}
        self._quoted = {entry.id: loaded_term(entry, self.lexicon, quoted=True) for entry in self.lexicon.entries}
        self._lock = threading.Lock()
        self._matcher: TermMatcher | None = None

    def __call__(self, doc: Doc) -> Doc:
        _check_parsed(doc, self.name)
        return self._annotate(doc, self._voices.read([doc])[0])

    def read_article(self, docs: Sequence[Doc], kinds: Sequence[str | None] | None = None) -> list[Doc]:
        """Annotate the blocks of one article, in reading order, as one text: quotations that run over
        paragraphs, quote blocks and introduced speech keep their voice, and "he said" finds its name in the
        blocks before. `kinds` says what each block is: None (body text), "quote", "heading" or "caption"."""
        docs = list(docs)
        for doc in docs:
            _check_parsed(doc, self.name)
        if kinds is not None:
            kinds = list(kinds)
            if len(kinds) != len(docs) or not set(kinds) <= {None, *BLOCK_KINDS}:
                raise ValueError(f"[{self.name}] kinds: one per doc, each None or one of {', '.join(BLOCK_KINDS)}")
        for doc, voice in zip(docs, self._voices.read(docs, kinds)):
            self._annotate(doc, voice)
        return docs

    def _annotate(self, doc: Doc, voice: BlockVoice) -> Doc:
        self.set_annotations(doc, self.match(doc, voice))
        doc.spans[QUOTED_KEY] = _whole_tokens(doc, voice.stretches())
        return doc

    def match(self, doc: Doc, voice: BlockVoice | None = None) -> list[Found]:
        """Loaded terms of `doc`, non-overlapping, sorted by start. `voice` is what `read_article` learnt of
        the block from the blocks around it; without it the doc is read alone."""
        _check_parsed(doc, self.name)
        if voice is None:
            voice = self._voices.read([doc])[0]
        headline = is_headline(doc)
        chosen = longest_then_severest(self._ready()(doc, headline))
        found = [self._voiced(span, entry, matched, voice) for span, entry, matched in chosen]
        if self.scare_quotes and voice.marks.quotes:
            found += self._scare_quotes(doc, voice, found, headline)
        return sorted(found, key=lambda f: f.span.start_char)

    def _voiced(self, span: Span, entry: Entry, matched: Span, voice: BlockVoice) -> Found:
        speech = voice.whose(span.start_char, span.end_char)
        if speech is not None:
            # A direct quotation cannot be reworded: no alternatives, and the note says so.
            return Found(span, self._quoted[entry.id], {"quote": True, "speaker": speech.speaker})
        term = {**self._entries[entry.id], "alternatives": inflection.fit(entry, span, matched)}
        # Reported speech without marks is the outlet's wording of what someone said: its voice stays the
        # outlet's, and the person reported is context, never the speaker of the word.
        subject = self._speakers.reported_subject(span)
        return Found(span, term, None, None if subject is None else {"speaker": voice.who(subject)})

    def set_annotations(self, doc: Doc, found: list[Found]) -> None:
        spans = []
        for span, entry, attributed, reported in found:
            span = Span(doc, span.start, span.end, label=entry["category"])
            # A copy per span: a caller editing one doc's entry must not change the next doc's.
            span._.loaded_term = {**entry, "alternatives": list(entry["alternatives"])}
            span._.attributed = attributed
            span._.reported = reported
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

    def _scare_quotes(self, doc: Doc, voice: BlockVoice, terms: list[Found], headline: bool) -> list[Found]:
        """Short quoted words in a sentence of their own: the marks themselves cast doubt ("the 'peace' deal").
        They are the doubt of whoever speaks the sentence, the outlet or the speaker of a quotation around it."""
        rule, marks, text = self.scare_quotes, voice.marks, text_of(doc)
        taken = [(f.span.start_char, f.span.end_char) for f in terms]
        found = []
        for quote in marks.quotes:
            if not quote.closed:
                continue
            inner_start, inner_end = quote.inner
            inner = text[inner_start:inner_end]
            words = inner.split()
            if not 1 <= len(words) <= rule.max_words:
                continue
            # Titles, names and quoted sentences start with a capital or end in punctuation; scare quotes do not.
            if not inner[:1].islower() or inner.rstrip()[-1:] in ".!?,;:" or any(c.isdigit() for c in inner):
                continue
            # A quoted word that fills a noun-phrase slot ("the 'peace' plan", "their 'experts'") is held at arm's
            # length; a quoted fragment anywhere else is usually just someone's words.
            before = doc.char_span(0, quote.start, alignment_mode="contract")
            if before is None or not len(before) or before[-1].lower_ not in self.grammar.scare_determiners:
                continue
            # `taken` never overlaps itself, so its ends rise with its starts: only the last one opening before
            # the quote ends can reach into it.
            at = bisect.bisect_left(taken, (quote.end,))
            if at and taken[at - 1][1] > quote.start:
                continue
            if self._speakers.bound_verb(doc, quote, marks) is not None:
                continue
            # A span group holds whole tokens: a mark glued inside a token ('"peace"-loving') cannot be a span.
            span = doc.char_span(quote.start, quote.end)
            if span is None or any(self._matcher.in_name(t, span, headline) for t in span):
                continue
            # '"to do" list' or '"it"' quote a function word, not a concept the writer distances itself from.
            if not any(t.is_alpha and not t.is_stop for t in span):
                continue
            around = voice.whose(quote.start, quote.end)
            found.append(Found(span, scare_quotes_term(rule, inner.strip()),
                               None if around is None else {"quote": True, "speaker": around.speaker}))
            bisect.insort(taken, (quote.start, quote.end))
        return found

    def __getstate__(self) -> dict:
        # Locks cannot be pickled, and the compiled matchers are rebuilt from the lexicon on the first doc.
        return {**self.__dict__, "_lock": None, "_matcher": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()


def _register_extensions() -> None:
    # Registered once, and never with force=True: a second registration must not wipe values on live docs.
    for name in ("loaded_term", "attributed", "reported"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Span.has_extension("phrase"):
        Span.set_extension("phrase", getter=loaded_phrase)


def loaded_phrase(span: Span) -> Span | None:
    """`Span._.phrase`: the expression a loaded term's word belongs to (language.phrases), from the parse;
    scare quotes are their own phrase, and a span that is no loaded term has none."""
    entry = span._.loaded_term
    if entry is None:
        return None
    if entry["term"] == SCARE_QUOTES_LEMMA:
        return span
    start, end = phrase_bounds(span)
    return span.doc[start:end]


def _whole_tokens(doc: Doc, stretches: list[tuple[int, int]]) -> list[Span]:
    """Character stretches as spans of whole tokens, never overlapping: a mark glued to a word ('"We') takes the
    word in, and two stretches that then share a token become one, so no word is counted twice."""
    spans: list[Span] = []
    for start, end in stretches:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        if spans and span.start < spans[-1].end:
            spans[-1] = doc[spans[-1].start:max(span.end, spans[-1].end)]
        else:
            spans.append(span)
    return spans


def _check_parsed(doc: Doc, name: str) -> None:
    if len(doc) and not (doc.has_annotation("DEP") and doc.has_annotation("POS")):
        raise ValueError(f"[{name}] the doc has no parse or tags: run it through the whole pipeline "
                         f"(nlp(text)), not only the tokenizer, and keep the tagger and parser enabled")


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
