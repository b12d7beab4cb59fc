"""Loaded language: a curated lexicon, a detector with context rules and attribution, and a framing profile."""

from .detector import TermDetector
from .lexicon import Entry, Lexicon, LexiconError, load_lexicon
from .profile import framing_profile

__all__ = ["Entry", "Lexicon", "LexiconError", "TermDetector", "framing_profile", "load_lexicon"]
