"""Properties of /analyze over generated requests (tests/fuzz_harness.py): it always answers 200 with marks
whose offsets hold (`block_text[start:end] == text`), in the published shape, and the same request gives the
same answer whatever was asked before it."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from fuzz_harness import analyze_requests, article_text, block_texts, check_marks
from reader_context.web import create_app
from reader_context.contract import AnalyzeResponse

pytestmark = pytest.mark.slow  # hypothesis sends hundreds of generated requests

EXAMPLES = int(os.environ.get("READER_CONTEXT_PROPERTY_EXAMPLES", "150"))
SETTINGS = hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
COUNTS: dict[str, int] = {}


@pytest.fixture(scope="module")
def client(settings, analyzer):
    # Hundreds of requests from one address: the rate limit is tested in test_hardening.py, not here.
    return create_app(settings.model_copy(update={"rate_limit_enabled": False}), analyzer).test_client()


def _post(client, body: dict) -> dict:
    res = client.post("/api/v1/analyze", json=body)
    assert res.status_code == 200, res.get_data(as_text=True)[:500]
    return res.get_json()


def _without_timing(body: dict) -> dict:
    stats = {k: v for k, v in body["stats"].items() if k not in ("elapsed_ms", "cached")}
    return {**body, "stats": stats}


@SETTINGS
@given(body=analyze_requests())
def test_every_mark_points_at_its_own_text(client, body):
    response = _post(client, body)
    COUNTS["marks"] = COUNTS.get("marks", 0) + check_marks(body, response)
    COUNTS["requests"] = COUNTS.get("requests", 0) + 1
    AnalyzeResponse.model_validate(response)
    features = body.get("features", ["entities", "terms"])
    if "entities" not in features:
        assert response["mentions"] == [] and response["cards"] == {}
    if "terms" not in features:
        assert response["terms"] == []


@SETTINGS
@given(body=analyze_requests(), other=article_text)
def test_the_same_request_gets_the_same_answer(client, analyzer, body, other):
    first = _post(client, body)
    _post(client, {"text": other})  # something else in between must leave no trace
    analyzer.responses.clear()  # past the response cache: the analysis itself is run again
    again = _post(client, body)
    assert _without_timing(again) == _without_timing(first)


@SETTINGS
@given(texts=st.lists(article_text, min_size=1, max_size=4))
def test_a_text_sent_as_blocks_keeps_each_blocks_offsets(client, texts):
    body = {"blocks": [{"id": f"p{i}", "text": t} for i, t in enumerate(texts)]}
    response = _post(client, body)
    check_marks(body, response)
    assert {m["block"] for m in response["mentions"] + response["terms"]} <= set(block_texts(body))


def test_the_properties_saw_marks(capsys):
    """Guards against strategies that drift into producing nothing to check."""
    if "requests" not in COUNTS:
        pytest.skip("run together with the property tests above")
    with capsys.disabled():
        print(f"\n  properties: {COUNTS['requests']} generated requests, {COUNTS['marks']} marks checked", end="")
    assert COUNTS["marks"] > COUNTS["requests"] // 2
