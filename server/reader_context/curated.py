"""Data files that people curate (the data/*.yaml of knowledge, entities and language): read against a pydantic
schema, refused with a message that names the bad field, and fingerprinted so that a changed file rebuilds
what was derived from it. Every layer reads them; this module depends on none."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


# libyaml's parser when PyYAML was built with it: the lexicon loads in a tenth of the time.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path):
    """The YAML document at `path`, safely (no object construction); raises OSError or yaml.YAMLError."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def load_yaml(path: Path, schema: type[M], error: type[ValueError]) -> M:
    try:
        return schema.model_validate(read_yaml(path) or {})
    except (OSError, yaml.YAMLError) as exc:
        raise error(f"{path}: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise error(f"{path}: {where}: {first['msg']}") from exc


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
