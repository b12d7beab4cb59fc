"""Articles of made-up capitalised names, which no knowledge base holds: each is a Wikipedia lookup. For
the tests and the benchmark of how much online work one request can cause."""

from __future__ import annotations

import random

ONSETS = ["b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kl", "l", "m", "n", "p", "pr", "r", "s", "st", "t", "tr",
          "v", "w", "z"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
CODAS = ["", "n", "r", "s", "l", "th", "nd", "rk", "sh", "m"]


def made_up_name(rng: random.Random, syllables: int) -> str:
    word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables))
    return word.capitalize()


def made_up_article(chars: int, seed: int = 1, sentences_a_paragraph: int = 8) -> list[str]:
    """Paragraphs of news-like sentences about made-up people, organisations and places, about `chars` long."""
    rng = random.Random(seed)
    paragraphs, paragraph, total = [], [], 0
    while total < chars:
        person = f"{made_up_name(rng, 2)} {made_up_name(rng, 3)}"
        other = f"{made_up_name(rng, 2)} {made_up_name(rng, 2)}"
        town, firm = made_up_name(rng, 3), f"{made_up_name(rng, 2)} {rng.choice(['Group', 'Institute', 'Bank'])}"
        sentence = rng.choice([
            f"{person} met {other} in {town} on Tuesday.",
            f"{person}, a spokesman for {firm}, said {other} would visit {town}.",
            f"In {town}, {person} told reporters that {firm} had no comment.",
        ])
        paragraph.append(sentence)
        total += len(sentence) + 1
        if len(paragraph) == sentences_a_paragraph:
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    return paragraphs
