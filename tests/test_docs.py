"""What a newcomer reads first: the README, the sample article and the published contract, checked against the
repository and the code so that they cannot drift apart."""

import re
from pathlib import Path

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
