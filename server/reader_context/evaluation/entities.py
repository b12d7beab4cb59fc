"""Scoring entity linking on gold sets: `reader-context eval entities FILE...`.

Two gold formats (see shared/data/entity-linking/SOURCE.md):

A (ELEVANT) `{id, text, evaluation_span, labels: [{span, entity_id, name, type, coref?, optional?, parent?, children?}]}`
B            `{doc, text, labels: [{start, end, mention, wikipedia_title}]}`

What is measured, per file and in total:

* precision of the knowledge cards we show: a card is shown when a mention carries a card whose
  source is `embedded`, `wikipedia` or `user` (an `article:` card is built from the article's own
  words, links to nothing, and is only counted). A shown card that overlaps a gold mention is
  right when its title names the gold entity, wrong otherwise, and wrong on a gold NIL;
* the shown cards that overlap no gold mention ("unannotated"): not wrong in the headline
  precision, wrong in the strict one;
* recall over the named gold mentions, and over those whose entity our knowledge base holds.

The gold text is read at evaluation time from the paths given; nothing of it is kept.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..knowledge.names import alias_key

# -- what "named" means in an ELEVANT file ----------------------------------------------------
# The `type` field holds Wikidata classes, several joined by "|". Decided by reading every class
# that occurs in the five sets (docs/evaluation-entities.md has the table with examples).
NAMED_TYPES = {
    "Q215627": "person",
    "Q27096213": "geographic entity",
    "Q43229": "organization",
    "Q2424752": "product",
    "Q17537576": "creative work",
    "Q1656682": "event",
    "Q431289": "brand",  # Ford, Apple, Atari: a company's name
    "Q21070598": "character",  # Vishnu, Garuda: named figures
}
# A mention typed with one of these is a role or a group, not a name, even when it also carries a
# named class ("judge" is person|occupation|position, "M.D." product|position|award); the one
# exception is a place, which ELEVANT sometimes also types as a position ("Japan", "Spain").
NOT_NAMED_TYPES = {
    "Q12737077": "occupation",
    "Q4164871": "position",
    "Q33829": "human population (demonyms: Syrians, Americans)",
    "Q4392985": "religious identity",
}
PLACE_TYPE = "Q27096213"
# Every other class is not named: genre, sport, taxon, award, academic discipline, emotion,
# anatomical structure, colour, government programme, language, animal, OTHER, QUANTITY, DATETIME.

KNOWLEDGE_SOURCES = frozenset({"embedded", "wikipedia", "user"})
# Alias origins that state another name of the same entity (the lead's subject, "officially ...",
# "also known as ...", an acronym the lead defines, a country's other spellings, our overrides).
RENAME_ORIGINS = frozenset({"lead", "lead-alt", "acronym", "country-alt", "override"})
TOP = 15

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
                         "\u2019": "'", "\u2018": "'"})
_DISAMBIGUATOR = re.compile(r"\s*\([^()]*\)$|,\s+[^,]+$")


def normalize_title(title: str) -> str:
    """One spelling of a Wikipedia title: underscores are spaces, the first letter is case-free, dash and
    apostrophe variants are one, spacing is single. Nothing else: "National Park" is not "National park"."""
    text = unicodedata.normalize("NFC", title.replace("_", " ").translate(_DASHES))
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def strip_disambiguator(title: str) -> str:
    """ "Nashville, Tennessee" -> "Nashville", "Mercury (planet)" -> "Mercury"."""
    return _DISAMBIGUATOR.sub("", title).strip()


def is_capitalised(text: str) -> bool:
    """A name as written: its first letter is a capital, or its first word is camel-cased ("iTunes")."""
    text = text.strip()
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    if letters[0].isupper():
        return True
    first = text.split()[0] if text.split() else ""
    return any(ch.isupper() for ch in first)


def type_is_named(types: str | None) -> bool:
    classes = set((types or "").split("|"))
    if not classes & NAMED_TYPES.keys():
        return False
    return not (classes & NOT_NAMED_TYPES.keys()) or PLACE_TYPE in classes


# -- gold ---------------------------------------------------------------------------------------


@dataclass
class GoldMention:
    start: int
    end: int
    text: str
    title: str | None  # None: NIL or not an entity (QUANTITY, DATETIME)
    named: bool
    unmapped: bool = False  # the annotators linked it, but the set gives no title (<NO_MAPPING>, "Unknown")
    optional: bool = False  # may be found, need not be (ELEVANT "optional")
    typed_name: bool = False  # ELEVANT typed it as a name (person, place, ...): its title is a Wikidata label


@dataclass
class GoldDoc:
    id: str
    text: str
    span: tuple[int, int]
    mentions: list[GoldMention] = field(default_factory=list)


def read_gold(path: Path) -> tuple[str, list[GoldDoc]]:
    """Read one gold file; returns its format ("A" or "B") and its documents. Coref labels are dropped."""
    docs: list[GoldDoc] = []
    fmt = ""
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            raw = json.loads(line)
            this = "A" if "evaluation_span" in raw or any("span" in lab for lab in raw.get("labels", [])) else "B"
            fmt = fmt or this
            doc = _doc_a(raw) if this == "A" else _doc_b(raw, number)
            docs.append(doc)
    return fmt or "A", docs


def _doc_a(raw: dict) -> GoldDoc:
    text = raw["text"]
    span = tuple(raw.get("evaluation_span") or (0, len(text)))
    doc = GoldDoc(id=str(raw.get("id", "")), text=text, span=(int(span[0]), int(span[1])))
    for lab in raw.get("labels", []):
        if lab.get("coref"):
            continue
        start, end = lab["span"]
        if start < doc.span[0] or end > doc.span[1]:
            continue
        entity = str(lab.get("entity_id") or "<NIL>")
        name = lab.get("name")
        unmapped = entity.startswith("<NO_MAPPING") or (entity.startswith("Q") and (not name or name == "Unknown"))
        title = name if entity.startswith("Q") and name and name != "Unknown" else None
        mention = text[start:end]
        doc.mentions.append(GoldMention(
            start, end, mention, title,
            named=title is not None and type_is_named(lab.get("type")) and is_capitalised(mention),
            unmapped=unmapped, optional=bool(lab.get("optional")), typed_name=type_is_named(lab.get("type")),
        ))
    return doc


def _doc_b(raw: dict, number: int) -> GoldDoc:
    text = raw["text"]
    doc = GoldDoc(id=str(raw.get("doc", number)), text=text, span=(0, len(text)))
    for lab in raw.get("labels", []):
        start, end = int(lab["start"]), int(lab["end"])
        mention = text[start:end]
        title = lab.get("wikipedia_title") or None
        named = title is not None and is_capitalised(mention) and mention != mention.lower()
        doc.mentions.append(GoldMention(start, end, mention, title, named=named))
    return doc


# -- titles against our knowledge base -----------------------------------------------------------


class TitleResolver:
    """Which knowledge-base entities a gold title names.

    Gold titles are not always today's Wikipedia titles: ELEVANT gives Wikidata labels ("United States
    of America", "Nashville") and older sets older titles ("Kiev"). In order, a gold title names:
    1. the entity with that title ("title");
    2. else the one entity whose lead states that name as another name of it, unless the name is only
       a shortening of its title ("Burma" -> Myanmar, "People's Republic of China" -> China) ("alias");
    3. else the one entity whose title without its disambiguator is that name ("Nashville" ->
       "Nashville, Tennessee") ("label"): a Wikidata label drops the disambiguator. Such matches are
       listed in the report, since a label cannot say which "Memphis" it meant.
    No other loosening: a different spelling is a different title.

    A Wikidata label is a bare name, so "Apple" may be the company: a gold mention typed as a name
    (person, place, organisation, product, work, event) never names an entry the store marks as a
    common noun (the fruit), whatever the titles say.
    """

    def __init__(self, store):
        self.store = store
        self._cache: dict[str, tuple[frozenset[str], str]] = {}
        self._nouns: dict[str, bool] = {}

    def resolve(self, title: str, typed_name: bool = False) -> tuple[frozenset[str], str]:
        title = normalize_title(title)
        if title not in self._cache:
            self._cache[title] = self._resolve(title)
        ids, how = self._cache[title]
        if typed_name and ids:
            ids = frozenset(i for i in ids if not self._common_noun(i))
        return (ids, how) if ids else (frozenset(), "")

    def _common_noun(self, entity_id: str) -> bool:
        if entity_id not in self._nouns:
            found = self.store.entities([entity_id]).get(entity_id)
            self._nouns[entity_id] = bool(found and getattr(found, "common_noun", False))
        return self._nouns[entity_id]

    def _resolve(self, title: str) -> tuple[frozenset[str], str]:
        exact = f"wikipedia:{title}"
        if self.store.entities([exact]):
            return frozenset({exact}), "title"
        hits = self.store.lookup_alias(alias_key(title))
        cards = self.store.entities(h.entity_id for h in hits) if hits else {}
        titled = {i for i, c in cards.items() if normalize_title(c.title) == title}
        if titled:  # a title spelled with other dashes or accents
            return frozenset(titled), "title"
        gold_words = set(alias_key(title).split())
        renamed = {
            h.entity_id for h in hits
            if h.origin in RENAME_ORIGINS and h.entity_id in cards
            and not gold_words < set(alias_key(cards[h.entity_id].title).split())
            and normalize_title(strip_disambiguator(cards[h.entity_id].title)) != title
        }
        if len(renamed) == 1:
            return frozenset(renamed), "alias"
        labelled = {i for i, c in cards.items() if normalize_title(strip_disambiguator(c.title)) == title}
        if len(labelled) == 1:
            return frozenset(labelled), "label"
        return frozenset(), ""

    def match(self, card: dict, gold_title: str, typed_name: bool = False) -> str:
        """How a card names the gold entity: "title", "alias", "label", or "" when it does not."""
        if typed_name and card.get("id") and self._common_noun(card["id"]):
            return ""
        if normalize_title(card.get("title") or "") == normalize_title(gold_title):
            return "title"
        ids, how = self.resolve(gold_title, typed_name)
        return how if card.get("id") in ids else ""


# -- scoring ------------------------------------------------------------------------------------

COUNTS = (
    "docs", "gold_mentions", "gold_nil", "gold_named", "gold_named_in_kb", "shown_cards", "shown_aligned",
    "exact_span", "correct", "correct_exact_span", "correct_by_alias", "correct_by_label", "wrong",
    "wrong_on_nil", "wrong_partial", "unannotated", "on_unmapped_gold", "article_cards", "recalled_named", "recalled_named_in_kb",
)


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _finish(counts: Counter, lists: dict[str, Counter]) -> dict:
    out: dict = {k: counts.get(k, 0) for k in COUNTS}
    out["precision"] = _ratio(out["correct"], out["correct"] + out["wrong"])
    out["strict_precision"] = _ratio(out["correct"], out["correct"] + out["wrong"] + out["unannotated"])
    out["recall_named"] = _ratio(out["recalled_named"], out["gold_named"])
    out["recall_named_in_kb"] = _ratio(out["recalled_named_in_kb"], out["gold_named_in_kb"])
    out["wrong_cards"] = [
        {"mention": m, "ours": ours, "gold": gold, "count": n} for (m, ours, gold), n in lists["wrong"].most_common(TOP)
    ]
    out["missed_in_kb"] = [
        {"mention": m, "gold": gold, "ours": ours, "count": n} for (m, gold, ours), n in lists["missed"].most_common(TOP)
    ]
    out["unannotated_cards"] = [
        {"mention": m, "ours": ours, "count": n} for (m, ours), n in lists["unannotated"].most_common(TOP)
    ]
    out["label_matches"] = [
        {"mention": m, "ours": ours, "gold": gold, "count": n} for (m, ours, gold), n in lists["label"].most_common(TOP)
    ]
    out["missed_reasons"] = dict(lists["missed_reason"])
    return out


def _new_lists() -> dict[str, Counter]:
    return {k: Counter() for k in ("wrong", "missed", "unannotated", "label", "missed_reason")}


def score_document(doc: GoldDoc, response: dict, resolver: TitleResolver, counts: Counter,
                   lists: dict[str, Counter]) -> None:
    """Add one document's figures to `counts` and its error examples to `lists`."""
    cards = response.get("cards") or {}
    lo, hi = doc.span
    predicted = [m for m in response.get("mentions") or []
                 if m.get("card") and lo <= m["start"] and m["end"] <= hi]
    shown = [m for m in predicted if (cards.get(m["card"]) or {}).get("source") in KNOWLEDGE_SOURCES]
    counts["docs"] += 1
    counts["article_cards"] += sum(1 for m in predicted if (cards.get(m["card"]) or {}).get("source") == "article")
    counts["shown_cards"] += len(shown)
    counts["gold_mentions"] += len(doc.mentions)
    counts["gold_nil"] += sum(1 for g in doc.mentions if g.title is None and not g.unmapped)

    # Each gold mention with a title: which shown cards name it (by overlap).
    recalled: set[int] = set()
    for p in shown:
        card = cards[p["card"]]
        ours = card.get("title") or p["card"]
        aligned = [(i, g) for i, g in enumerate(doc.mentions) if _overlaps(p["start"], p["end"], g.start, g.end)]
        if not aligned:
            counts["unannotated"] += 1
            lists["unannotated"][(p["text"], ours)] += 1
            continue
        counts["shown_aligned"] += 1
        exact = any(g.start == p["start"] and g.end == p["end"] for _, g in aligned)
        counts["exact_span"] += exact
        verdicts = [(i, g, resolver.match(card, g.title, g.typed_name)) for i, g in aligned if g.title]
        good = [(i, g, how) for i, g, how in verdicts if how]
        if good:
            counts["correct"] += 1
            recalled.update(i for i, _, _ in good)
            best = min(good, key=lambda v: ("title", "alias", "label").index(v[2]))
            if best[2] == "alias":
                counts["correct_by_alias"] += 1
            elif best[2] == "label":
                counts["correct_by_label"] += 1
                lists["label"][(p["text"], ours, normalize_title(best[1].title))] += 1
            counts["correct_exact_span"] += any(g.start == p["start"] and g.end == p["end"] for _, g, _ in good)
            continue
        judged = [g for _, g in aligned if not g.unmapped]
        if not judged:
            counts["on_unmapped_gold"] += 1  # the gold names an entity without a title: no verdict
            continue
        counts["wrong"] += 1
        # the gold mention shown in the list: the exact span, else the one overlapping most
        g = max(judged, key=lambda g: (g.start == p["start"] and g.end == p["end"],
                                        min(g.end, p["end"]) - max(g.start, p["start"]), -(g.end - g.start)))
        if g.title is None:
            counts["wrong_on_nil"] += 1
        if not exact and all(g.start <= p["start"] and p["end"] <= g.end for g in judged):
            counts["wrong_partial"] += 1  # a card on a part of a longer gold name ("Wales" in "Arriva Buses Wales")
        lists["wrong"][(p["text"], ours, normalize_title(g.title) if g.title else "NIL")] += 1

    for i, g in enumerate(doc.mentions):
        if not g.named or g.optional:
            continue
        counts["gold_named"] += 1
        in_kb = bool(resolver.resolve(g.title, g.typed_name)[0])
        counts["gold_named_in_kb"] += in_kb
        if i in recalled:
            counts["recalled_named"] += 1
            counts["recalled_named_in_kb"] += in_kb
        elif in_kb:
            reason, ours = _why_missed(g, response, cards)
            lists["missed_reason"][reason] += 1
            lists["missed"][(g.text, normalize_title(g.title), ours)] += 1


def _why_missed(g: GoldMention, response: dict, cards: dict) -> tuple[str, str]:
    over = [m for m in response.get("mentions") or [] if _overlaps(m["start"], m["end"], g.start, g.end)]
    linked = [m for m in over if m.get("card") and (cards.get(m["card"]) or {}).get("source") in KNOWLEDGE_SOURCES]
    if linked:
        return "wrong card", cards[linked[0]["card"]].get("title") or linked[0]["card"]
    if any(m.get("card") for m in over):
        return "article card", "(article card)"
    if over:
        return "spotted, no card", "(no card)"
    return "not spotted", "(not spotted)"


def _merge(into: dict[str, Counter], other: dict[str, Counter]) -> None:
    for k, c in other.items():
        into[k].update(c)


def evaluate_entities(paths: Iterable[Path], analyzer, *, sentences: bool = False) -> dict:
    """Run the analyzer once per gold document (the whole text as one block) and score it; with `sentences`,
    once per sentence of it instead, each alone as a short text (an API call, a looked-up selection).

    Returns {"files": [per-file figures], "total": figures over all files}; each figures dict holds the
    counts of COUNTS, precision, strict_precision, recall_named, recall_named_in_kb, and the most
    frequent wrong cards, missed knowledge-base entities, unannotated cards and label-only matches.
    """
    from ..pipeline import Block

    resolver = TitleResolver(analyzer.store)
    files = []
    total_counts: Counter = Counter()
    total_lists = _new_lists()
    for path in paths:
        path = Path(path)
        started = time.perf_counter()
        fmt, docs = read_gold(path)
        counts: Counter = Counter()
        lists = _new_lists()
        for doc in docs:
            if sentences:
                response = _by_sentence(analyzer, doc.text)
            else:
                response = analyzer.analyze([Block("0", doc.text)], features=("entities",), online="never").model_dump()
            score_document(doc, response, resolver, counts, lists)
        figures = _finish(counts, lists)
        figures.update(file=path.name, path=str(path), format=fmt, seconds=round(time.perf_counter() - started, 1))
        files.append(figures)
        total_counts.update(counts)
        _merge(total_lists, lists)
    total = _finish(total_counts, total_lists)
    total["seconds"] = round(sum(f["seconds"] for f in files), 1)
    return {"files": files, "total": total}


def threshold_table(paths: Iterable[Path], analyzer, thresholds: Iterable[float], *, sentences: bool = False) -> list[dict]:
    """The same evaluation at each linking threshold (the linker's `threshold`, the deployment's
    READER_CONTEXT_LINK_THRESHOLD): one row per threshold and set, for choosing the threshold by precision."""
    analyzer.warm_up()
    configured = analyzer.linker.threshold
    rows = []
    try:
        for threshold in thresholds:
            analyzer.linker.threshold = threshold
            analyzer.responses.clear()  # responses made at another threshold
            result = evaluate_entities(paths, analyzer, sentences=sentences)
            for figures in result["files"] + [dict(result["total"], file="total")]:
                rows.append({"threshold": threshold, **figures})
    finally:
        analyzer.linker.threshold = configured
        analyzer.responses.clear()
    return rows


def format_threshold_table(rows: list[dict]) -> str:
    lines = ["| threshold | set | shown cards (aligned) | correct | precision | recall named | recall named in KB |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['threshold']:.2f} | {r['file']} | {r['shown_aligned']} | {r['correct']} | {_fmt(r['precision'])}"
                     f" | {_fmt(r['recall_named'])} | {_fmt(r['recall_named_in_kb'])} |")
    return "\n".join(lines) + "\n"


def _by_sentence(analyzer, text: str) -> dict:
    """One response for the whole text, made of one analysis per sentence, offsets back into the text."""
    from ..pipeline import Block

    analyzer.warm_up()
    merged: dict = {"mentions": [], "cards": {}}
    for sent in analyzer.nlp(text).sents:
        if not sent.text.strip():
            continue
        response = analyzer.analyze([Block("0", sent.text)], features=("entities",), online="never").model_dump()
        for m in response["mentions"]:
            merged["mentions"].append({**m, "start": m["start"] + sent.start_char, "end": m["end"] + sent.start_char})
        merged["cards"].update(response["cards"])
    return merged


# -- report -------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def format_entities_report(result: dict) -> str:
    """The result of `evaluate_entities` as markdown: one table of figures, then each file's error lists."""
    rows = result["files"] + ([dict(result["total"], file="**total**")] if len(result["files"]) > 1 else [])
    lines = [
        "| set | docs | named gold | named in KB | shown cards (aligned) | correct | precision | strict precision"
        " | recall named | recall named in KB | unannotated | article cards |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['file']} | {r['docs']} | {r['gold_named']} | {r['gold_named_in_kb']} | {r['shown_aligned']}"
            f" | {r['correct']} | {_fmt(r['precision'])} | {_fmt(r['strict_precision'])} | {_fmt(r['recall_named'])}"
            f" | {_fmt(r['recall_named_in_kb'])} | {r['unannotated']} | {r['article_cards']} |"
        )
    lines += [
        "",
        "precision = correct / (correct + wrong) over shown knowledge cards that overlap a gold mention (a card on a"
        " gold NIL is wrong); strict precision also counts the cards on unannotated spans as wrong.",
    ]
    for r in result["files"]:
        lines += ["", f"### {r['file']}", ""]
        lines.append(
            f"{r['shown_cards']} cards shown, {r['shown_aligned']} on gold mentions ({r['exact_span']} exact spans),"
            f" {r['correct']} correct ({r['correct_exact_span']} on the exact span; {r['correct_by_alias']} through"
            f" another name in the lead, {r['correct_by_label']} through a title without its disambiguator),"
            f" {r['wrong']} wrong ({r['wrong_on_nil']} on NIL, {r['wrong_partial']} on a part of a longer gold mention),"
            f" {r['on_unmapped_gold']} on gold without a title,"
            f" {r['unannotated']} unannotated; {r['seconds']} s."
        )
        if r["missed_reasons"]:
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(r["missed_reasons"].items(), key=lambda kv: -kv[1]))
            lines.append(f"Named KB entities missed: {reasons}.")
        for key, head, cols in (
            ("wrong_cards", "Wrong cards", ("mention", "ours", "gold")),
            ("missed_in_kb", "Missed entities our knowledge base holds", ("mention", "gold", "ours")),
            ("label_matches", "Counted correct through a title without its disambiguator", ("mention", "ours", "gold")),
            ("unannotated_cards", "Cards on unannotated spans", ("mention", "ours")),
        ):
            if not r[key]:
                continue
            lines += ["", f"{head}:", "", "| " + " | ".join(cols) + " | n |", "|" + "---|" * (len(cols) + 1)]
            lines += ["| " + " | ".join(_cell(item[c]) for c in cols) + f" | {item['count']} |" for item in r[key]]
    return "\n".join(lines) + "\n"
