"""The one spaCy pipeline of a process: loaded on first use, never at import time."""

from __future__ import annotations

import threading

import spacy
from spacy.util import compile_infix_regex
from spacy.language import Language

# Importing the components registers their factories, also where the package's entry points are not
# installed (a source checkout on PYTHONPATH).
from .entities import linker as _linker  # noqa: F401
from .entities import mentions as _mentions  # noqa: F401
from .language import terms as _terms  # noqa: F401
from .token_rules import index_attribute_ruler

_lock = threading.Lock()
_loaded: dict[str, Language] = {}


class ModelNotInstalled(RuntimeError):
    pass


def load_pipeline(name: str) -> Language:
    """Return the shared pipeline `name`, loading it once per process.

    Every pipe of the small English models is used: the tagger and lemmatizer by the loaded-term
    matcher, the parser by in-article context and quote attribution, NER by entity spotting. Reader
    Context's own components are made from it with `nlp.create_pipe`, one set per Analyzer.
    """
    with _lock:
        nlp = _loaded.get(name)
        if nlp is None:
            try:
                nlp = spacy.load(name)
            except OSError as exc:
                raise ModelNotInstalled(
                    f"spaCy pipeline {name!r} is not installed; install it with pip or set "
                    "READER_CONTEXT_SPACY_MODEL to an installed English pipeline"
                ) from exc
            _split_abbreviation_compounds(nlp)
            if "attribute_ruler" in nlp.pipe_names:
                index_attribute_ruler(nlp.get_pipe("attribute_ruler"))
            _loaded[name] = nlp
        return nlp


def _split_abbreviation_compounds(nlp: Language) -> None:
    """ "Calif.-based", "U.S.-led": the English infixes split a hyphen between letters only, which leaves the
    abbreviation's name glued to the compound; split after an abbreviation's period as well."""
    infixes = [*nlp.Defaults.infixes, r"(?<=[A-Za-z]\.)-(?=[a-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
