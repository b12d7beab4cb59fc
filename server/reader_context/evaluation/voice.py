"""Scoring whose voice a loaded word is in, and who its speaker is: `reader-context eval voice FILE`.

FILE is a YAML list of written cases (tests/data/voice_cases.yaml describes the fields): the blocks of a request,
the flagged word to look at, and the voice and speaker a careful editor gives it. Each case goes through the
Analyzer as a request would, so what is scored is what a reader sees.

- voice accuracy: over every case, the flag is in the right voice, someone else's words (`attributed`) or the
  outlet's own (`attributed` null, reported speech included);
- speaker accuracy: over the quoted cases, the flag is quoted and names the right speaker (or null where the text
  names no one who can speak);
- reported accuracy: over the reported-speech cases, the flag is in the outlet's voice and names whom it reports.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..pipeline import Analyzer, Block

VOICES = ("quote", "outlet", "reported")


def load_cases(path: Path) -> list[dict]:
    cases = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["cases"]
    for case in cases:
        if case["voice"] not in VOICES:
            raise ValueError(f"case {case['id']!r}: voice must be one of {VOICES}")
    return cases


def case_blocks(case: dict) -> list[Block]:
    blocks = []
    for i, block in enumerate(case["blocks"]):
        text, kind = (block, None) if isinstance(block, str) else (block["text"], block.get("kind"))
        blocks.append(Block(f"b{i}", text, kind))
    return blocks


def _flag(case: dict, terms: list[dict]) -> dict | None:
    # A flag may take in the words around the loaded one ("savage militants"): the word is looked for inside it.
    word = re.compile(rf"(?<!\w){re.escape(case['word'])}(?!\w)")
    found = [t for t in terms if word.search(t["text"].lower())
             and ("block" not in case or t["block"] == f"b{case['block']}")]
    if len(found) > 1:
        raise ValueError(f"case {case['id']!r}: {case['word']!r} is flagged {len(found)} times; give its block")
    return found[0] if found else None


def heard(term: dict | None) -> tuple[str | None, str | None]:
    """(voice, speaker) of a flag as the response gives it; (None, None) when the word was not flagged."""
    if term is None:
        return None, None
    if term["attributed"] is not None:
        return "quote", term["attributed"]["speaker"]
    if term.get("reported") is not None:
        return "reported", term["reported"]["speaker"]
    return "outlet", None


def _names(expected) -> list[str | None]:
    return expected if isinstance(expected, list) else [expected]


def judge(case: dict, term: dict | None) -> dict:
    voice, speaker = heard(term)
    expected = case["voice"]
    # Reported speech is the outlet's voice: a reader weighs the wording as the outlet's either way.
    right_voice = voice is not None and (voice == "quote") == (expected == "quote")
    right_speaker = None
    if expected in ("quote", "reported"):
        right_speaker = voice == expected and speaker in _names(case.get("speaker"))
    return {"id": case["id"], "class": case["class"], "voice": right_voice, "speaker": right_speaker,
            "heard": {"voice": voice, "speaker": speaker},
            "expected": {"voice": expected, "speaker": case.get("speaker")}}


def _share(judged: list[bool]) -> dict:
    right = sum(judged)
    return {"right": right, "of": len(judged), "accuracy": round(right / len(judged), 3) if judged else None}


def evaluate_voice(path: Path, analyzer: Analyzer) -> dict:
    cases = load_cases(path)
    judged = []
    for case in cases:
        result = analyzer.analyze(case_blocks(case), features=("terms",), online="never").model_dump()
        judged.append(judge(case, _flag(case, result["terms"])))
    return {
        "cases": len(judged),
        "voice": _share([j["voice"] for j in judged]),
        "speaker": _share([j["speaker"] for j in judged if j["expected"]["voice"] == "quote"]),
        "reported": _share([j["speaker"] for j in judged if j["expected"]["voice"] == "reported"]),
        "judged": judged,
    }


def format_voice_report(result: dict) -> str:
    lines = [f"{result['cases']} cases"]
    for name in ("voice", "speaker", "reported"):
        share = result[name]
        lines.append(f"  {name + ' accuracy:':<19} {share['right']}/{share['of']} = {share['accuracy']}")
    wrong = [j for j in result["judged"] if not j["voice"] or j["speaker"] is False]
    if wrong:
        lines.append("Wrong:")
        for j in wrong:
            got, want = j["heard"], j["expected"]
            lines.append(f"  {j['id']} [{j['class']}]: heard {got['voice']}, {got['speaker']!r};"
                         f" expected {want['voice']}, {want['speaker']!r}")
    return "\n".join(lines)
