"""Knowledge: the Card model, the SQLite store, and the packs that build it. Knows nothing of spaCy or Flask."""

from .build import build_embedded, import_user_entries, open_knowledge
from .card import Card
from .store import Candidate, KnowledgeError, KnowledgeStore

__all__ = ["Card", "Candidate", "KnowledgeError", "KnowledgeStore", "build_embedded", "import_user_entries", "open_knowledge"]
