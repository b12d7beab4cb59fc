"""Who speaks, as one block's grammar says it: the reporting verb bound to a quotation, the speaker it names,
and whom reported speech reports.

A speaker is only ever what the sentence binds to the quotation; a name that merely sits nearby is not one, so
when the quotation's own sentence names no one the answer is None. Pronouns are left to voices.py, which sees
the blocks before.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .grammar import Grammar
from .quotes import Marks, Quote

# Words between a closing mark and its speech tag: a subject ("the mayor"), never a clause of its own.
_TAG_REACH = 8
# Tokens between an opening clause's verb and its quotation: the verb's own adverbials ("said in a statement on
# Tuesday to reporters in the capital:"); looking further back only costs time in a long sentence of quotations.
_OPENING_REACH = 24
_SENTENCE_END = ".!?;"


class Speakers:
    def __init__(self, reporting_verbs: frozenset[str], grammar: Grammar):
        self._reporting_verbs = reporting_verbs
        self._grammar = grammar

    # -- the reporting verb of a quotation ---------------------------------------------------------------------

    def bound_verb(self, doc: Doc, quote: Quote, marks: Marks) -> Token | None:
        """The reporting verb (or "according") that binds `quote` to a speaker in the quote's own sentence.

        A speech tag right after the quotation wins ('"...," Adel said', even in 'Hassan said the army left
        and "...," Adel added'); then a reporting verb whose clause holds the quotation ("media reported that
        troops "eliminated ..."", "called it "a heinous act""); then the clause that opens it ("Bokova said:
        "...""). A verb in a clause of its own after the quotation ('"..." Later, Adel told reporters the army
        was ready') is not bound to it, whatever the parser attached.
        """
        return (self._tag_after(doc, quote, marks) or self._governor(doc, quote, marks)
                or self._introducing(doc, quote, marks))

    def speaker_token(self, verb: Token) -> Token | None:
        if verb.lower_ == "according":
            return next((t for t in verb.subtree if t.dep_ == "pobj"), None)
        return _subject(verb)

    def speaks(self, token: Token) -> bool:
        return (token.lemma_.lower() in self._reporting_verbs and token.pos_ in ("VERB", "AUX")) or (
            token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to")

    def _tag_after(self, doc: Doc, quote: Quote, marks: Marks) -> Token | None:
        if not quote.closed:
            return None
        # A quotation closing on a full stop ends its sentence: '"We won." Hassan said the ...' starts a new one,
        # while '"Who?" she asked' and '"We won." he said' (lowercase) go on.
        closing = marks.token_at(quote.end - 1)
        ends_sentence = closing > 0 and doc[closing - 1].text.endswith((".", "…"))
        seen = 0
        for token in doc[marks.token_at(quote.end):]:
            if marks.holds(token) or seen > _TAG_REACH:
                return None
            if token.is_space or (token.is_punct and token.text not in _SENTENCE_END):
                continue
            if token.is_punct or token.pos_ in ("CCONJ", "SCONJ"):
                return None
            if seen == 0 and ends_sentence and not token.text[:1].islower():
                return None
            seen += 1
            if self.speaks(token):
                return token if token.lower_ == "according" or self._is_tag(token, marks) else None
            if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ not in ("aux", "auxpass")):
                return None
        return None

    def tag_between(self, doc: Doc, previous: Quote, quote: Quote, marks: Marks) -> Token | None:
        """'"We did not choose this war," said Qasim. "The regime ..."': a quotation right after the speech tag
        of the one before it goes on in the same voice. The tag verb, when only the tag stands between them."""
        verb = self._tag_after(doc, previous, marks)
        if verb is None or verb.idx >= quote.start:
            return None
        between = doc[marks.token_at(previous.end):marks.token_at(quote.start)]
        if all(t.is_punct or t.is_space or t == verb or verb in t.ancestors for t in between):
            return verb
        return None

    @staticmethod
    def _is_tag(verb: Token, marks: Marks) -> bool:
        """A tag reports the quotation and nothing else: "Adel told reporters the army was ready" reports
        its own clause, so it is not the tag of a quotation before it."""
        return not any(child.dep_ == "ccomp" and not marks.holds(child) for child in verb.children)

    def _governor(self, doc: Doc, quote: Quote, marks: Marks) -> Token | None:
        inner_start, inner_end = quote.inner
        for token in doc[marks.token_at(inner_start):marks.token_at(inner_end)]:
            if inner_start <= token.head.idx < inner_end:
                continue
            # Only ancestors before the quotation: one after it binds only as a speech tag (checked first).
            for ancestor in token.ancestors:
                if (ancestor.idx < quote.start and self.speaks(ancestor) and ancestor.lower_ != "according"
                        and not marks.holds(ancestor)):
                    return ancestor
        return None

    def _introducing(self, doc: Doc, quote: Quote, marks: Marks) -> Token | None:
        first = marks.token_at(quote.start)
        if first >= len(doc):
            return None
        sentence = doc[first].sent
        for token in reversed(doc[max(sentence.start, first - _OPENING_REACH):first]):
            if not self.speaks(token) or marks.holds(token):
                continue
            # "Bokova said in a statement on Tuesday: "..."": only the verb's own words stand between it and the
            # quotation; a clause of its own in between ("said the talks failed, and "...") breaks the bond.
            between = doc[token.i + 1:first]
            if all(t.is_punct or t.is_space or (token in t.ancestors and t.pos_ not in ("VERB", "AUX"))
                   for t in between):
                return token
            return None
        # "Bokova said:" is often split off as its own sentence just before the quote it introduces.
        if sentence.start > 0 and all(t.is_punct or t.is_space for t in doc[sentence.start:first]):
            previous = doc[sentence.start - 1].sent
            if previous.text.rstrip().endswith(":"):
                return next((t for t in reversed(previous) if self.speaks(t) and not marks.holds(t)), None)
        return None

    # -- the speaker a token names ---------------------------------------------------------------------------

    def name(self, token: Token) -> str | None:
        """The speaker as the sentence names them; None for pronouns (resolved by the caller), nameless nouns
        ("a spokesman") and nouns that cannot speak ("the report", "Islamic texts")."""
        if token.pos_ == "PRON":
            return None
        # "The ministry spokesman, Tarek Aziz, said": the apposition names whom the head only describes.
        for child in token.children:
            if child.dep_ == "appos" and (named := self._proper(child)):
                return named
        if {token.lower_, token.lemma_.lower()} & (self._grammar.text_nouns | self._grammar.document_nouns):
            # A text speaks for its author when it names one ("a statement from Amnesty International").
            author = owner(token)
            return self.name(author) if author is not None else None
        return self._proper(token) or self._speaking_noun(token)

    def _proper(self, token: Token) -> str | None:
        entity = _entity_of(token)
        if entity is not None:
            if token.ent_type_ not in self._grammar.speaker_entity_types:
                return None  # a book, a law, a date: named, but not someone who speaks
            # NER often takes the article or the possessive into the name ("The Liberation Army", "Mansour's").
            start = entity.start + 1 if entity[0].lower_ == "the" and len(entity) > 1 else entity.start
            end = entity.end - 1 if entity[-1].dep_ == "case" and entity.end - 1 > start else entity.end
            return token.doc[start:end].text
        # A name NER missed is still a name.
        return _phrase(token).text if token.pos_ == "PROPN" else None

    def _speaking_noun(self, token: Token) -> str | None:
        if not {token.lower_, token.lemma_.lower()} & self._grammar.speaking_nouns:
            return None
        phrase = _phrase(token)
        speakers = self._grammar.speaker_entity_types
        if any(t.pos_ == "PROPN" or t.ent_type_ in speakers for t in phrase[:-1]):
            return phrase.text
        return None

    def is_nameless_speaker(self, token: Token) -> bool:
        """"A police spokesman", "officials": someone who speaks but whom the text does not name."""
        return (token.pos_ != "PRON" and bool({token.lower_, token.lemma_.lower()} & self._grammar.speaking_nouns)
                and self.name(token) is None)

    # -- reported speech ------------------------------------------------------------------------------------

    def reported_subject(self, span: Span) -> Token | None:
        """Whom reported speech holding `span` reports: the subject of the reporting verb whose clause holds it
        ("Officials said the savage ..."), or the X of "..., according to X". None when no reporting verb
        governs it, or the author speaks in the first person ("I think the ...")."""
        labelling = self._grammar.labelling_verbs
        child = span.root
        while child.head.i != child.i:
            head = child.head
            verb = head
            if head.lower_ == "as" and child.dep_ in ("pobj", "amod"):
                # "described the raid as barbaric": "as" hangs on the verb or on its object.
                verb = head.head.head if head.head.dep_ == "dobj" else head.head
            governed = (
                (child.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in self._reporting_verbs)
                or (child.dep_ == "oprd" and head.lemma_.lower() in labelling)
                or (verb is not head and verb.lemma_.lower() in labelling)
            )
            if governed:
                subject = _subject(verb)
                if subject is None or subject.lower_ in self._grammar.first_person:
                    return None
                return subject
            child = head
        # "The savage attack killed nine, according to X": the source hangs on a verb of the span's clause.
        for ancestor in (span.root, *span.root.ancestors):
            for source in ancestor.children:
                if source.lower_ == "according" and self.speaks(source):
                    return self.speaker_token(source)
        return None


def owner(noun: Token) -> Token | None:
    """Whose text it is: "X's speech", "the statement by X", "the full text of X's address", "the letter
    sent by X"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    for child in noun.children:
        by = [child] if child.dep_ in ("prep", "agent") else [c for c in child.children if c.dep_ == "agent"] \
            if child.dep_ == "acl" else []
        for preposition in by:
            if preposition.lower_ not in ("of", "by", "from"):
                continue
            target = next((t for t in preposition.children if t.dep_ == "pobj"), None)
            if target is None:
                continue
            # "the text of the statement by the ministry", "of X's speech": a common noun is what the text is,
            # whose it is comes after it.
            return owner(target) if target.pos_ == "NOUN" else target
    return None


def _phrase(token: Token) -> Span:
    """The noun phrase up to `token`, without its article or a possessive pronoun ("the", "his")."""
    start = token.left_edge.i
    doc = token.doc
    while start < token.i and (doc[start].dep_ in ("det", "predet", "punct", "case")
                               or (doc[start].dep_ == "poss" and doc[start].pos_ == "PRON")):
        start += 1
    return doc[start:token.i + 1]


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


def _entity_of(token: Token) -> Span | None:
    if not token.ent_type_:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]
