"""Loaded language: a curated lexicon, the spaCy component `reader_context_terms` and a framing profile.

Importing this package registers the component's factory with spaCy.
"""

from .grammar import Grammar, GrammarError, load_grammar
from .lexicon import Entry, Lexicon, LexiconError, load_lexicon
from .profile import framing_profile
from .records import QUOTED_KEY, SPANS_KEY, term_records
from .terms import LoadedTerms, make_loaded_terms

__all__ = [
    "QUOTED_KEY",
    "SPANS_KEY",
    "Entry",
    "Grammar",
    "GrammarError",
    "Lexicon",
    "LexiconError",
    "LoadedTerms",
    "framing_profile",
    "load_grammar",
    "load_lexicon",
    "make_loaded_terms",
    "term_records",
]
