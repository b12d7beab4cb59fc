"""Time-bounded fuzzing of the text pipeline (the Analyzer itself, no HTTP) and of the lexicon loader, with
the strategies of tests/fuzz_harness.py. Any crash found is kept below as a regression example."""

from __future__ import annotations

import os
import time

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings as hypothesis_settings
from hypothesis import strategies as st

from fuzz_harness import article_text, block_id, check_marks
from reader_context.language import LexiconError, load_lexicon
from reader_context.language import lexicon as lexicon_module
from reader_context.pipeline import Block

pytestmark = pytest.mark.slow  # thousands of generated inputs

# About 15 s each on two cores; raise for a longer local run.
SECONDS = float(os.environ.get("READER_CONTEXT_FUZZ_SECONDS", "15"))
# Rounds of 50 fresh examples until the time is up (a failing example is shrunk and reported as usual).
FUZZ = hypothesis_settings(max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def for_seconds(seconds: float, run) -> int:
    until, rounds = time.monotonic() + seconds, 0
    while time.monotonic() < until:
        run()
        rounds += 1
    return rounds


def test_fuzz_the_text_pipeline(analyzer, capsys):
    runs = [0]

    @FUZZ
    @given(blocks=st.lists(st.tuples(block_id, article_text), min_size=1, max_size=4, unique_by=lambda b: b[0]))
    # Regression examples: what earlier runs of this harness broke (a lone surrogate is refused at the door).
    @example(blocks=[("0", "Vladimir Putin\x00 said"), ("\u202e", "\u202eUNESCO\u202c")])
    def run(blocks):
        runs[0] += 1
        response = analyzer.analyze([Block(i, t) for i, t in blocks]).model_dump()
        check_marks({"blocks": [{"id": i, "text": t} for i, t in blocks]}, response)

    for_seconds(SECONDS, run)
    with capsys.disabled():
        print(f"\n  fuzz pipeline: {runs[0]} inputs in {SECONDS:g} s, crashes 0", end="")
    assert runs[0] > 50


def test_fuzz_the_lexicon_loader(tmp_path, capsys):
    """Whatever a curator writes, the loader answers a Lexicon or a LexiconError, never anything else."""
    shipped = yaml.safe_load(lexicon_module.DEFAULT_PATH.read_text(encoding="utf-8"))
    runs = [0]
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10), st.text(max_size=30),
                        st.lists(st.text(max_size=10), max_size=3))
    path = tmp_path / "lexicon.yaml"

    @FUZZ
    @given(index=st.integers(0, len(shipped["entries"]) - 1),
           field=st.sampled_from(["term", "pos", "category", "severity", "why", "alternatives", "better", "surprise"]),
           value=scalars, raw=st.one_of(st.none(), st.text(max_size=60)))
    def run(index, field, value, raw):
        runs[0] += 1
        if raw is not None:
            path.write_text(raw, encoding="utf-8")  # arbitrary text: YAML or not
        else:
            data = {**shipped, "entries": [dict(e) for e in shipped["entries"][:40]]}
            data["entries"][index % 40][field] = value
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            load_lexicon(path)
        except LexiconError as exc:
            assert str(exc)

    for_seconds(SECONDS / 3, run)
    with capsys.disabled():
        print(f"\n  fuzz lexicon loader: {runs[0]} files, crashes 0", end="")
    assert runs[0] > 20
