"""Schemathesis against the published OpenAPI document, running the real app: every operation, with
requests that fit the schema (must be answered per the schema, never a 5xx) and requests that do not (must be
refused with a 4xx), once without an API key and once with one set."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from reader_context.web import create_app

pytestmark = pytest.mark.slow  # schemathesis sends hundreds of requests

# Bounded for CI: about 700 requests in all, under a minute on two cores.
EXAMPLES = int(os.environ.get("READER_CONTEXT_CONTRACT_EXAMPLES", "50"))
KEY = "contract-test-key-0123456789"

OPERATIONS = [
    ("POST", "/api/v1/analyze"), ("GET", "/api/v1/cards"), ("GET", "/api/v1/cards/lookup"),
    ("GET", "/api/v1/health"), ("GET", "/api/v1/openapi.json"),
]
WITHOUT_PARAMETERS = {"/api/v1/health", "/api/v1/openapi.json"}  # nothing to make invalid
# A request that breaks the schema is refused with one of the statuses API.md gives (or 404/405 when the
# generator bent the path or method); 413 counts: a too-long text is refused before anything else.
CONFIG = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {
    "expected-statuses": ["400", "401", "404", "405", "413", "415"]}}})


@pytest.fixture(scope="module")
def apps(settings, analyzer):
    # Their own apps: hundreds of requests from one test client would (rightly) meet the rate limit.
    open_app = create_app(settings.model_copy(update={"rate_limit_enabled": False}), analyzer)
    keyed_app = create_app(settings.model_copy(update={"rate_limit_enabled": False, "api_key": KEY}), analyzer)
    return {"open": open_app, "keyed": keyed_app}


@schemathesis.check
def accepted_unless_a_documented_extra_rule(ctx, response, case):
    """Schema-valid requests are accepted, except for the two rules JSON Schema cannot say and the
    AnalyzeRequest description states: unique block ids, and the character limit over all blocks."""
    body = response.json() if response.status_code in (400, 413) else None
    code = (body or {}).get("error", {}).get("code")
    if case.operation.path == "/api/v1/analyze" and (response.status_code, code) in {
            (400, "duplicate_block_id"), (413, "text_too_long")}:
        return True
    return positive_data_acceptance(ctx, response, case)


def _cases(app, method, path, mode, key):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)
    operation = schema[path][method]
    sent: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    def run(case):
        if key is not None:
            # The real key where the case carries one (a negative case may have dropped it: then a 401).
            if mode == GenerationMode.POSITIVE or "X-API-Key" in (case.headers or {}):
                case.headers = {**(case.headers or {}), "X-API-Key": key}
        sent.append(case.call_and_validate(
            excluded_checks=[positive_data_acceptance],
            additional_checks=[accepted_unless_a_documented_extra_rule] if mode == GenerationMode.POSITIVE else [],
        ).status_code)

    run()
    return sent


@pytest.mark.parametrize("keyed", [False, True], ids=["no-key", "api-key"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_app_keeps_its_published_contract(apps, method, path, mode, keyed, capsys):
    if mode == GenerationMode.NEGATIVE and path in WITHOUT_PARAMETERS:
        pytest.skip("an operation without parameters has no invalid request to make")
    app = apps["keyed" if keyed else "open"]
    statuses = _cases(app, method, path, mode, KEY if keyed else None)
    assert statuses and all(s < 500 for s in statuses)
    with capsys.disabled():
        print(f"\n  schemathesis {method} {path} {mode} {'key' if keyed else 'open'}: {len(statuses)} requests,"
              f" statuses {sorted(set(statuses))}, server errors 0", end="")


def test_the_published_limits_are_the_configured_ones(settings, analyzer):
    custom = settings.model_copy(update={"max_chars": 5000, "max_blocks": 7, "max_block_id": 9})
    doc = create_app(custom, analyzer).test_client().get("/api/v1/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    assert schemas["AnalyzeRequest"]["properties"]["text"]["maxLength"] == 5000
    assert schemas["AnalyzeRequest"]["properties"]["blocks"]["maxItems"] == 7
    assert schemas["BlockIn"]["properties"]["id"]["maxLength"] == 9


def test_the_document_says_when_a_key_is_required(apps):
    open_doc = apps["open"].test_client().get("/api/v1/openapi.json").get_json()
    keyed_doc = apps["keyed"].test_client().get("/api/v1/openapi.json").get_json()  # readable without the key
    analyze_open, analyze_keyed = open_doc["paths"]["/api/v1/analyze"]["post"], keyed_doc["paths"]["/api/v1/analyze"]["post"]
    assert {} in analyze_open["security"] and "401" not in analyze_open["responses"]
    assert analyze_keyed["security"] == [{"ApiKey": []}] and "401" in analyze_keyed["responses"]
    assert keyed_doc["components"]["securitySchemes"]["ApiKey"]["name"] == "X-API-Key"
