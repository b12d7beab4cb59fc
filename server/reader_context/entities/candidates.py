"""Candidate generators: which entities a group of mentions may be, and how strongly its names say so.

Each returns (entity, prior, origin) triples for the linker's one scorer; the knowledge base's come from
its aliases, Wikipedia's from what a lookup of the name returned.
"""

from __future__ import annotations

from ..knowledge.entity import Entity
from ..knowledge.names import alias_key, is_acronym, without_disambiguator
from .article import Group

Candidate = tuple[Entity, float, str]


def from_knowledge_base(store, group: Group, runner_up_factor: float,
                        sources: frozenset[str] | None = None) -> list[Candidate]:
    """The entities the base's aliases reach from the group's fullest known names, with their priors; only
    those of `sources` when given."""
    hits: dict[str, tuple[float, str]] = {}
    # The fullest names the knowledge base knows: "Donald Trump" for a group holding "Donald J.
    # Trump" and "Trump"; a surname alone only when no fuller name of the group is known.
    found_by_name = {n: store.lookup_alias(alias_key(n)) for n in group.names}
    known = [n for n in group.names if found_by_name[n]]
    fullest = len(known[0].split()) if known else 0
    for name in (n for n in known if len(n.split()) == fullest):
        found = found_by_name[name]
        strongest = max(h.weight for h in found)
        for h in found:
            if not _case_fits(name, h.alias):
                continue
            # "List" is a surname too: a lone surname names a person only when NER found it as a name
            # (PERSON, or ORG, which the small model gives many a lone surname: "Trump hates ...").
            if h.origin == "surname" and group.label not in ("PERSON", "ORG"):
                continue
            if (h.origin == "demonym") != (group.label == "NORP"):
                continue
            prior = h.weight if h.weight >= strongest else h.weight * runner_up_factor
            if h.entity_id not in hits or hits[h.entity_id][0] < prior:
                hits[h.entity_id] = (prior, h.origin)
    if not hits:
        return []
    entities = store.entities(hits)
    if sources is not None:
        entities = {i: e for i, e in entities.items() if e.source in sources}
    if fullest < len(group.names[0].split()):
        # Known only by a shorter name: the entity must still bear the full one ("Stephanie Hoff" is
        # not Jacobus van 't Hoff; "Donald J. Trump" is Donald Trump).
        full = {w for w in alias_key(group.names[0]).split() if not (len(w) <= 2 and w.endswith("."))}
        entities = {i: e for i, e in entities.items() if full <= set(alias_key(e.title).split())}
    out = [(entities[i], prior, origin) for i, (prior, origin) in hits.items() if i in entities]
    # Wikipedia's own convention: a title with a disambiguator ("New York (state)") is not what the bare name
    # usually means when another entry holds the name undisambiguated ("New York City").
    plain = {prior for e, prior, _ in out if without_disambiguator(e.title) == e.title}
    return [(e, prior * runner_up_factor if without_disambiguator(e.title) != e.title and any(p >= prior for p in plain)
             else prior, origin) for e, prior, origin in out]


def from_wikipedia(group: Group, entries: list[Entity], search_prior: float, search_decay: float) -> list[Candidate]:
    """The entry Wikipedia reaches by the name itself (its title or a redirect) has the full prior;
    search results a smaller one, falling with their rank."""
    name = alias_key(group.name)
    out = []
    for rank, entry in enumerate(entries):
        if any(alias_key(a) == name for a, _, _ in entry.aliases):
            if any(_case_fits(n, a) for n in group.names for a, _, _ in entry.aliases if alias_key(a) == alias_key(n)):
                out.append((entry, 1.0, "title"))
        else:
            out.append((entry, search_prior * search_decay ** rank, "search"))
    return out


def _case_fits(mention: str, alias: str) -> bool:
    """ "ISIS" is not "Isis", and "us" is not "US"; "Nato" may be "NATO"."""
    if is_acronym(mention):
        # "LONDON (Reuters) -": a dateline in capitals is the name it spells.
        if len(mention) >= 5 and " " not in mention and not is_acronym(alias) and alias.lower() == mention.lower():
            return True
        return alias.replace(".", "") == mention.replace(".", "") or (
            not is_acronym(alias) and len(mention) > 4 and alias.lower() == mention.lower() and " " in alias
        )
    if is_acronym(alias):
        return len(alias) >= 4 and alias.lower() == mention.lower()
    return True
