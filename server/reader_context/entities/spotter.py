"""Finding the names in a block: spaCy NER, a longest-match over knowledge-base aliases, and runs of
proper nouns that both missed.

NER alone is weak on news: the small English model calls "Palmyra Castle" a PERSON and never finds
"Islamic State". The alias matcher finds what the knowledge base knows whatever NER says.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from ..knowledge.names import alias_key, is_acronym

# NER labels a reader may want a card on. Dates, numbers, quantities and demonyms (NORP) never are.
LINKABLE_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"}
MAX_ALIAS_TOKENS = 8
# Lower-case words inside one name ("Department of the Interior", "Rio Grande do Sul"). "and", "in"
# and "for" are not among them: "Syria and Russia" and "Trump in Washington" are two names each.
_CONNECTORS = {"of", "the", "de", "du", "des", "la", "le", "al", "el", "von", "van", "der", "den", "da", "di", "do",
               "dos", "das", "del", "della", "bin", "ibn", "&", "-"}
# Words that stand before a name without being part of it: "President Vladimir Putin".
TITLE_WORDS = {
    "president", "prime", "minister", "foreign", "defence", "defense", "secretary", "general", "king", "queen",
    "prince", "princess", "pope", "sir", "dame", "lord", "lady", "mr", "mrs", "ms", "dr", "prof", "professor",
    "sen", "senator", "rep", "representative", "gov", "governor", "mayor", "chancellor", "judge", "justice",
    "chief", "executive", "ceo", "chairman", "chairwoman", "director", "ambassador", "commander", "colonel",
    "major", "captain", "lieutenant", "sergeant", "officer", "spokesman", "spokeswoman", "spokesperson",
    "sheikh", "emir", "ayatollah", "imam", "rabbi", "bishop", "archbishop", "cardinal", "reverend", "rev",
    "saint", "st", "deputy", "vice", "acting", "former", "late", "leader", "head", "coach", "manager",
    "mr.", "mrs.", "dr.", "sen.", "gov.", "rep.", "gen.", "col.", "capt.", "lt.", "sgt.", "prof.", "rev.", "st.",
}
_NEVER = {"PRP", "PRP$", "WP", "WP$", "WDT", "DT", "CD", "EX"}


@dataclass
class Mention:
    block: str
    start: int  # code points into the block text
    end: int
    text: str
    label: str | None  # NER label, or None when only the alias matcher found it
    span: Span
    found_by: str = "ner"  # "ner", "alias" (knowledge-base name) or "run" (proper nouns)

    @property
    def sentence_start(self) -> bool:
        return self.span.start == self.span.sent.start


def _capitalised(token) -> bool:
    return token.text[:1].isupper()


def _shouting(span: Span) -> bool:
    """A headline or sentence set in capitals, where "WHO" and "US" may be ordinary words."""
    letters = [ch for ch in span.sent.text if ch.isalpha()]
    return len(letters) > 12 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def _trim(span: Span) -> Span | None:
    """Drop leading determiners and lower-case words and trailing possessives from an NER span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].tag_ in _NEVER or not _capitalised(doc[start])) and not doc[start].like_num:
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=span.label_)


def _alias_spans(doc: Doc, keys: frozenset[str], weak: frozenset[str]) -> list[Span]:
    spans, i, n = [], 0, len(doc)
    while i < n:
        tok = doc[i]
        if not _capitalised(tok) or tok.tag_ in _NEVER:
            i += 1
            continue
        found = None
        for j in range(min(n, i + MAX_ALIAS_TOKENS), i, -1):
            last = doc[j - 1]
            if not (_capitalised(last) or last.like_num or last.text in (".", ")")):
                continue
            if any(t.is_space or t.text in (",", ";", ":", "\"", "\u201c", "\u201d") for t in doc[i:j]):
                continue
            key = alias_key(doc[i:j].text)
            # "Stock Exchange" in "Toronto Stock Exchange" and "Business" in "Vogue Business" are parts
            # of a name, not the concepts "Stock exchange" and "Business".
            if key in keys and key not in weak:
                found = Span(doc, i, j)
                break
        if found is None:
            i += 1
            continue
        if len(found) == 1 and tok.tag_ in ("JJ", "JJR", "JJS"):
            i += 1
            continue
        # A capitalised common word opening a sentence ("Now", "Apple pie") is not a name unless tagged one.
        if found.start == found.sent.start and len(found) == 1 and tok.pos_ != "PROPN" and not is_acronym(tok.text):
            i += 1
            continue
        if is_acronym(found.text) and _shouting(found):
            i = found.end
            continue
        spans.append(found)
        i = found.end
    return spans


def _name_token(doc: Doc, i: int) -> bool:
    tok = doc[i]
    if tok.tag_ in ("NNP", "NNPS") and (_capitalised(tok) or tok.lower_ in _CONNECTORS):
        return True
    # The hyphens of "Fakhr-al-Din" are tokens of their own, written without spaces.
    return (tok.text in ("-", "\u2010", "'") and i > 0 and not doc[i - 1].whitespace_ and not tok.whitespace_
            and i + 1 < len(doc) and doc[i + 1].tag_ in ("NNP", "NNPS"))


def _proper_runs(doc: Doc) -> list[Span]:
    """Runs of two or more proper nouns ("Islamic State", "Fakhr-al-Din al-Maani Castle") NER may miss."""
    runs, i, n = [], 0, len(doc)
    while i < n:
        if not (_capitalised(doc[i]) and _name_token(doc, i)):
            i += 1
            continue
        j = i + 1
        while j < n and (
            (_name_token(doc, j) and doc[j].lower_ not in _CONNECTORS)
            # "of" in "Department of Education", "al" in "Fakhr-al-Din": inside a name, not at its end.
            or (doc[j].lower_ in _CONNECTORS and j + 1 < n and _name_token(doc, j + 1))
        ):
            j += 1
        while j > i and not _capitalised(doc[j - 1]):
            j -= 1
        if sum(1 for t in doc[i:j] if t.is_alpha) >= 2 and not _shouting(doc[i:j]):
            runs.append(Span(doc, i, j))
        i = max(j, i + 1)
    return runs


_QUOTE_MARKS = {'"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "``", "''"}


def _inside_a_title(span: Span) -> bool:
    """A name inside the title of something else is not that name: "Houston" in the quoted
    'Houston's Top Dentists', "Wales" in "Rape Crisis (England and Wales)"."""
    doc, sent = span.doc, span.sent
    # A short quotation in Title Case is the title of a work, list or award.
    left = next((t.i for t in reversed(doc[sent.start:span.start]) if t.text in _QUOTE_MARKS or t.tag_ == "``"), None)
    right = next((t.i for t in doc[span.end:sent.end] if t.text in _QUOTE_MARKS or t.tag_ in ("''", "POS") and t.text != "'s"), None)
    if left is not None and right is not None and right - left - 1 <= 8:
        words = [t for t in doc[left + 1:right] if t.is_alpha]
        if len(words) > len(span) and all(_capitalised(t) or t.lower_ in _CONNECTORS for t in words):
            return True
    # A parenthesis of names right after a capitalised name qualifies that name.
    opening = next((t.i for t in reversed(doc[sent.start:span.start]) if t.text in "()"), None)
    if opening is not None and doc[opening].text == "(" and opening > sent.start and _capitalised(doc[opening - 1]):
        close = next((t.i for t in doc[span.end:sent.end] if t.text == ")"), None)
        if close is not None and not is_acronym(span.text):
            inner = [t for t in doc[opening + 1:close] if t.is_alpha]
            return all(_capitalised(t) or t.lower_ == "and" for t in inner)
    return False


def spot(doc: Doc, block: str, keys: frozenset[str], weak: frozenset[str] = frozenset()) -> list[Mention]:
    """`keys` are the knowledge base's alias keys; `weak` those that never make a mention by
    themselves (KnowledgeStore.weak_keys)."""
    ner = [s for e in doc.ents if e.label_ in LINKABLE_LABELS and (s := _trim(e)) is not None]
    # In a sentence set in capitals NER takes "US" in "LET US FIND OUT" for a country; there only
    # names the knowledge base knows, and that are not ordinary words, count.
    ner = [s for s in ner if not _shouting(s) or (s.text.lower() not in STOP_WORDS and alias_key(s.text) in keys)]
    # A demonym ("Russian", "Syrian") gets its country's card when the knowledge base knows it.
    ner += [e for e in doc.ents if e.label_ == "NORP" and len(e) == 1 and alias_key(e.text) in keys
            and not (e.end < len(doc) and _capitalised(doc[e.end]) and doc[e.end].tag_ in ("NNP", "NNPS"))]
    ner.sort(key=lambda sp: sp.start)
    alias = _alias_spans(doc, keys, weak)
    chosen: list[tuple[Span, str | None]] = []
    found_by: dict[tuple[int, int], str] = {}

    for span in ner:
        inner = [a for a in alias if a.start >= span.start and a.end <= span.end]
        exact = any(a.start == span.start and a.end == span.end for a in inner)
        covered = sum(len(a) for a in inner)
        capitals = sum(1 for t in span if _capitalised(t))
        if not exact and len(inner) >= 2 and covered >= capitals:
            # "UNESCO World Heritage Site" is two names the knowledge base knows, not one it does not.
            chosen.extend((a, None) for a in inner)
            found_by.update({(a.start, a.end): "alias" for a in inner})
        else:
            chosen.append((span, span.label_))
    taken = {i for s, _ in chosen for i in range(s.start, s.end)}
    for span in alias:
        if not any(i in taken for i in range(span.start, span.end)):
            chosen.append((span, None))
            found_by[(span.start, span.end)] = "alias"
            taken.update(range(span.start, span.end))
        elif all(i in taken for i in range(span.start, span.end)):
            continue
        else:
            # An alias longer than the NER span it overlaps ("Fakhr-al-Din al-Maani Castle" vs "Castle").
            overlapped = [(s, lab) for s, lab in chosen if s.start < span.end and span.start < s.end]
            if all(len(s) < len(span) for s, _ in overlapped):
                for item in overlapped:
                    chosen.remove(item)
                chosen.append((span, overlapped[0][1] if len(overlapped) == 1 else None))
                found_by[(span.start, span.end)] = "alias"
                taken = {i for s, _ in chosen for i in range(s.start, s.end)}
    for run in _proper_runs(doc):
        if any(s.start <= run.start and s.end >= run.end for s, _ in chosen):
            continue  # NER or an alias has this name already, whole
        inside = [(s, lab) for s, lab in chosen if s.start >= run.start and s.end <= run.end and len(s) < len(run)]
        outside = [s for s, _ in chosen if s.start < run.end and run.start < s.end and (s.start < run.start or s.end > run.end)]
        if outside:
            continue
        covered = {i for s, _ in inside for i in range(s.start, s.end)}
        rest = [t for t in run if t.i not in covered and _capitalised(t) and t.lower_ not in TITLE_WORDS]
        if inside and not rest:
            continue  # "Syria and Russia", "President Vladimir Putin": names the parts already hold
        # "Wales" in "Arriva Buses Wales", "Texas" in "H Texas": part of a longer name is not that name.
        for item in inside:
            chosen.remove(item)
        chosen.append((run, None))
        found_by[(run.start, run.end)] = "run"

    chosen = [(s, lab) for s, lab in chosen if not _inside_a_title(s)]
    chosen.sort(key=lambda item: item[0].start)
    return [
        Mention(block=block, start=s.start_char, end=s.end_char, text=s.text, label=label, span=s,
                found_by=found_by.get((s.start, s.end), "ner"))
        for s, label in chosen
    ]
