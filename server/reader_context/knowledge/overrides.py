"""Our own alias data (data/aliases.yaml): a schema, a validator, and how it reaches the store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Overrides.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise OverridesError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise OverridesError(f"{path}: {where}: {first['msg']}") from exc


def fingerprint(path: Path = DEFAULT_PATH) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
