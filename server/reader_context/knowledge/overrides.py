"""Our own alias data (data/aliases.yaml): a schema, a validator, and how it reaches the store."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..curated import load_yaml

DEFAULT_PATH = Path(__file__).with_name("data") / "aliases.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AliasOverride(_Strict):
    alias: str = Field(min_length=1)
    title: str = Field(min_length=1)


class SupportOverride(_Strict):
    alias: str = Field(min_length=1)
    title: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class NeverLink(_Strict):
    alias: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class Overrides(_Strict):
    aliases: list[AliasOverride] = []
    needs_support: list[SupportOverride] = []
    never_link: list[NeverLink] = []


class OverridesError(ValueError):
    pass


def load_overrides(path: Path = DEFAULT_PATH) -> Overrides:
    return load_yaml(path, Overrides, OverridesError)
