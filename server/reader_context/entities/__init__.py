"""Entities: the spaCy components that find names and link them to cards, and the article-level work over
their span groups (grouping, in-article context, article cards, the Wikipedia step)."""

from .article import Group, Mention, article_card, collect, group_mentions
from .linker import Linker, content_words
from .mentions import MentionFinder
from .online_linking import OnlineLinking

__all__ = ["Group", "Linker", "Mention", "MentionFinder", "OnlineLinking", "article_card", "collect",
           "content_words", "group_mentions"]
