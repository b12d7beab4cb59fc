"""Knowledge: the Entity record and its Card, the SQLite store, and the packs that build it. Knows nothing of
spaCy or Flask."""

from .build import build_embedded, import_user_entries, open_knowledge
from .entity import AliasHit, Card, Entity
from .store import KnowledgeError, KnowledgeStore

__all__ = ["AliasHit", "Card", "Entity", "KnowledgeError", "KnowledgeStore", "build_embedded", "import_user_entries",
           "open_knowledge"]
