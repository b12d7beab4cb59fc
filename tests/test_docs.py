"""What a newcomer reads first: the README, the sample article and the published contract, checked against the
repository and the code so that they cannot drift apart."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader_context import contract
from reader_context.web.openapi import openapi_document

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
API_DOC = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
SAMPLE = ROOT / "examples" / "sample-article.txt"


def test_readme_needs_nothing_beside_the_repository():
    # ../shared holds only the evaluation sets; the one mention says so.
    mentions = [line for line in README.splitlines() if "../shared" in line]
    assert len(mentions) == 1 and "make eval" in mentions[0], mentions
    for path in re.findall(r"\b((?:examples|docs)/[\w./-]+\.(?:txt|md))", README):
        assert (ROOT / path).is_file(), f"the README names {path}, which is not in the repository"


def test_the_sample_article_is_what_the_readme_shows(analyzer):
    from reader_context.pipeline import Block

    result = analyzer.analyze([Block("0", SAMPLE.read_text(encoding="utf-8"))], online="never")
    kinds = {result.cards[m.card].kind for m in result.mentions if m.card}
    assert {"person", "place", "organization"} <= kinds
    assert any(t.attributed and t.attributed.quote for t in result.terms), "a quoted loaded term"
    assert any(t.attributed is None for t in result.terms), "a loaded term in the outlet's own voice"
    for m in result.mentions:
        if m.card:
            assert m.text in README, f"the README's sample output lacks {m.text!r}: run the command again"


def test_the_published_contract_names_every_route_and_field():
    for path in openapi_document()["paths"]:
        route = path.removeprefix("/api/v1")
        assert f"/api/v1{route}" in API_DOC, f"docs/API.md does not describe {path}"
    for model in (contract.AnalyzeRequest, contract.AnalyzeResponse, contract.Mention, contract.Term,
                  contract.Stats, contract.Card, contract.HealthResponse, contract.OnlineHealth):
        for name in model.model_fields:
            assert re.search(rf"\b{name}\b", API_DOC), f"docs/API.md does not mention {model.__name__}.{name}"


@pytest.mark.slow  # a pytest run of its own
@pytest.mark.parametrize("ci", ["", "true"])
def test_a_clone_without_the_evaluation_data_skips_in_one_line_and_ci_fails(tmp_path, ci):
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_probe.py").write_text(
        "from conftest import SHARED, require_shared\n\n"
        "def test_one():\n    require_shared(SHARED / 'data' / 'a')\n\n"
        "def test_two():\n    require_shared(SHARED / 'data' / 'b')\n\n"
        "def test_three():\n    pass\n")
    env = {**os.environ, "SHARED": str(tmp_path / "absent"), "CI": ci}
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-c", str(ROOT / "pyproject.toml"),
                          "--rootdir", str(tmp_path), str(tmp_path)], capture_output=True, text=True, env=env,
                         timeout=300)
    if ci:
        assert out.returncode == 1 and "2 failed" in out.stdout, out.stdout
    else:
        assert out.returncode == 0, out.stdout
        lines = [line for line in out.stdout.splitlines() if "evaluation data" in line]
        assert lines == [f"2 skipped: they need the evaluation data in {tmp_path / 'absent'}, which is not part of the"
                         " repository (SHARED=DIR points elsewhere; with CI=true they fail instead)"], out.stdout
