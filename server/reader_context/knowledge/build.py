"""Building the embedded knowledge base, keeping it current, and importing a user's own entries."""

from __future__ import annotations

import dataclasses
import fcntl
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

from .entity import KINDS, WIKIPEDIA_ATTRIBUTION, Entity, wikipedia_url
from .geonames import GEONAMES_PACKAGE, merge_places
from ..curated import fingerprint
from .kinds import DEFAULT_PATH as KINDS_PATH
from .names import alias_key
from .overrides import DEFAULT_PATH as OVERRIDES_PATH
from .overrides import load_overrides
from .packs import (
    COUNTRY_PACKAGE, VITAL_PACKAGE, W_ALT, W_TITLE, country_alt_names, country_facts, country_records,
    package_version, vital_entries,
)
from .store import SCHEMA_VERSION, KnowledgeError, KnowledgeStore

log = logging.getLogger(__name__)

# Entries written per transaction by `kb import`: the longest any other writer waits for it.
IMPORT_BATCH = 2_000
# Entries copied per transaction by `kb build` into a base that holds entries (about 0.1 s each), and the pause
# after each: SQLite has no queue for its write lock, and a waiting writer retries only every 100 ms at most, so a
# builder that began its next batch at once could keep it waiting batch after batch.
BUILD_BATCH = 1_000
BUILD_PAUSE_SECONDS = 0.1
# Bump when the way entries or aliases are derived changes, so existing stores are rebuilt.
BUILDER_VERSION = "8"


def current_fingerprint() -> dict[str, str]:
    return {
        "schema": SCHEMA_VERSION,
        "builder": BUILDER_VERSION,
        VITAL_PACKAGE: package_version(VITAL_PACKAGE),
        COUNTRY_PACKAGE: package_version(COUNTRY_PACKAGE),
        GEONAMES_PACKAGE: package_version(GEONAMES_PACKAGE),
        "overrides": fingerprint(OVERRIDES_PATH),
        "kinds": fingerprint(KINDS_PATH),
    }


def is_current(store: KnowledgeStore) -> bool:
    """Built by this version from these packages, and still holding the embedded entries (a file whose
    rows were emptied behind our back is stale, not an empty knowledge base to serve)."""
    meta = store.meta()
    return all(meta.get(k) == v for k, v in current_fingerprint().items()) and store.has_embedded()


def open_knowledge(path: Path, *, build: bool = True) -> KnowledgeStore:
    """Open the store at `path`, building or refreshing the embedded entries when they are stale.

    A damaged file is refused (KnowledgeStore.check) and never rebuilt over, since it may hold the user's
    own entries; a read-only file is served as it is when it is current, and refused when it is not.
    """
    store = KnowledgeStore(path)
    store.create_schema()
    store.check()
    if not is_current(store):
        if store.read_only:
            raise KnowledgeError(f"knowledge base {path} is read-only and not built by this version; make it"
                                 " writable, or build it with `reader-context kb build` where it is")
        if not build:
            raise KnowledgeError(f"knowledge base {path} is not built; run `reader-context kb build`")
        if store.meta().get("builder"):
            log.warning("knowledge base %s is out of date or lost its embedded entries: rebuilding them", path)
        build_embedded(store)
    return store


@dataclass
class BuildReport:
    entities: int
    aliases: int
    seconds: float
    countries_added: int


def build_embedded(store: KnowledgeStore, *, force: bool = False) -> BuildReport | None:
    """Replace the embedded entries; user and Wikipedia entries stay as they are.

    A base that holds entries already is built beside it first (FILE.build, on the same disk) and copied in
    batches of BUILD_BATCH entries, each its own transaction: a server's online writes wait for a batch, not
    for the build (14 s of 20 with everything in one transaction, 3.6 s with the copy in one), and a reader
    finds each entry whole, old or new. The base says it is current only once the last batch is in, so a
    build cut short is done again at the next start. One build at a time: a second process waits for the
    first (FILE.build.lock), then finds the store current and does nothing.
    """
    started = time.perf_counter()
    with _build_lock(store.path):
        if not force and is_current(store):
            return None
        overrides = load_overrides()
        entries = {e.id: e for e in vital_entries()}
        countries_added = _merge_countries(entries)
        places_added, places_merged = merge_places(entries)
        log.info("places pack: %s places added, %s merged into the Wikipedia pack's", places_added, places_merged)

        def fill(target: KnowledgeStore, conn) -> None:
            target.put(conn, entries.values(), fresh=True)
            target.apply_overrides(conn, overrides, strong=W_TITLE, weak=W_ALT)

        def finish(conn) -> None:
            store.renew_build_stamp(conn)
            store.set_meta(conn, current_fingerprint() | {"built_at": str(int(time.time()))})

        if not store.stats()["entities"]:
            with store.write() as conn:
                store.delete_source(conn, "embedded")
                fill(store, conn)
                finish(conn)
        else:
            _copy_in_batches(store, fill, finish)
    stats = store.stats()
    report = BuildReport(stats["by_source"].get("embedded", 0), stats["aliases"],
                         time.perf_counter() - started, countries_added)
    log.info("built embedded knowledge base: %s entities in %.1f s", report.entities, report.seconds)
    return report


def _copy_in_batches(store: KnowledgeStore, fill, finish) -> None:
    staging = KnowledgeStore(store.path.with_name(store.path.name + ".build"))
    try:
        _remove_files_of(staging.path)  # what a build cut short left
        staging.create_schema()
        with staging.write() as conn:
            fill(staging, conn)
        staging.close()
        with store.attached(staging.path, "staging"):
            for first, last in store.staged_id_ranges(store.connection(), "staging", BUILD_BATCH):
                with store.write() as conn:
                    store.replace_range_from(conn, "staging", first, last)
                time.sleep(BUILD_PAUSE_SECONDS)
            with store.write() as conn:
                store.delete_source_except(conn, "embedded", "staging")
                finish(conn)
    finally:
        staging.close()
        _remove_files_of(staging.path)


def _remove_files_of(path: Path) -> None:
    """A SQLite file and the journal files beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """Held for a whole build, across its transactions; the system releases it if the process dies."""
    with open(path.with_name(path.name + ".build.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _merge_countries(entries: dict[str, Entity]) -> int:
    by_key = {alias_key(e.title): e for e in entries.values()}
    # "Georgia (country)" is countryinfo's "Georgia": a country's own disambiguator does not make it another.
    by_key |= {alias_key(e.title.removesuffix(" (country)")): e for e in entries.values() if e.title.endswith(" (country)")}
    added = 0
    records = country_records()
    # "American" is the demonym of the United States and of four territories: it names the most populous.
    demonym_owner: dict[str, str] = {}
    for info in sorted(records, key=lambda i: -(i.get("population") or 0)):
        if info.get("demonym"):
            demonym_owner.setdefault(info["demonym"], info["name"])
    for info in records:
        name = info["name"]
        wiki_title = (info.get("wiki") or "").rsplit("/", 1)[-1].replace("_", " ")
        entry = by_key.get(alias_key(name)) or (by_key.get(alias_key(wiki_title)) if wiki_title else None)
        if entry is not None and entry.kind not in ("place", "concept"):
            entry = None
        facts = country_facts(info)
        alts = tuple((a, "country-alt", W_ALT) for a in country_alt_names(info))
        if facts.get("demonym") and demonym_owner.get(facts["demonym"]) == name:
            alts += ((facts["demonym"], "demonym", W_ALT),)
        if entry is not None:
            entries[entry.id] = dataclasses.replace(
                entry, kind="place", facts=facts, aliases=entry.aliases + ((name, "country-alt", W_ALT),) + alts)
            continue
        region = facts.get("region")
        description = f"Country or territory in {region}" if region else "Country or territory"
        summary = f"{name} is a country or territory" + (f" in {region}" if region else "") + "."
        if facts.get("capital"):
            summary += f" Its capital is {facts['capital']}."
        entries[f"wikipedia:{name}"] = Entity(
            id=f"wikipedia:{name}", title=name, kind="place", description=description, summary=summary,
            context=f"{description}. {summary}", url=wikipedia_url(name), source="embedded",
            attribution="countryinfo (MIT); " + WIKIPEDIA_ATTRIBUTION, facts=facts,
            aliases=((name, "title", W_TITLE),) + alts,
        )
        added += 1
    return added


# -- a user's own entries ----------------------------------------------------------------------


class UserEntity(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(None, max_length=500)
    summary: str | None = Field(None, max_length=5000)
    aliases: list[str] = Field(default_factory=list, max_length=100)
    kind: str = "other"
    url: HttpUrl | None = None

    def model_post_init(self, _context) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")


@dataclass
class ImportReport:
    added: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_user_entries(store: KnowledgeStore, path: Path, *, batch: int = IMPORT_BATCH) -> ImportReport:
    """Add `{title, description, summary, aliases, kind, url}` lines as `user` entries.

    A bad line is reported with its number and skipped. The good ones land `batch` at a time, each batch
    one transaction: an entry is never half written, readers never wait, and online writes and a second import
    wait one batch at most (one transaction for everything held the lock for minutes). An import stopped
    halfway keeps its finished batches, and running it again finishes it: entries are keyed by title.
    """
    report = ImportReport()
    entries: list[Entity] = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = UserEntity.model_validate(json.loads(line))
            except json.JSONDecodeError as exc:
                report.errors.append((number, f"not JSON: {exc.msg}"))
                continue
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "line"
                report.errors.append((number, f"{where}: {first['msg']}"))
                continue
            aliases = ((item.title, "title", W_TITLE),) + tuple((a, "user", W_TITLE) for a in item.aliases if a)
            entries.append(Entity(
                id=f"user:{item.title}", title=item.title, kind=item.kind, description=item.description,
                summary=item.summary, context=f"{item.description or ''}. {item.summary or ''}",
                url=str(item.url) if item.url else None, source="user", attribution="Added by the user",
                aliases=aliases,
            ))
    # A later line with the same title wins, as it did when each line replaced the one before.
    entries = list({e.id: e for e in entries}.values())
    now, replaced = time.time(), False
    for i in range(0, len(entries), batch):
        with store.write() as conn:
            part = entries[i:i + batch]
            replaced = replaced or bool(store.held_ids(conn, [e.id for e in part]))
            report.added += store.put(conn, part, fetched_at=now)
    if replaced:
        # Rows replaced (entries imported again) are what readers of aliases_since cannot see; added ones
        # they see, and a new stamp makes every worker rebuild its alias index, so only once and only then.
        with store.write() as conn:
            store.renew_build_stamp(conn)
    return report
