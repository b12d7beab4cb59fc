"""Entities: spot the names in an article, link them to cards, and gather what the article says of them."""

from .linker import Group, Linker, group_mentions
from .spotter import Mention, spot

__all__ = ["Group", "Linker", "Mention", "group_mentions", "spot"]
