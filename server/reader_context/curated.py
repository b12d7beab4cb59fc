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


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser loads the lexicon 10x faster
    """Safe loading that refuses a key given twice in one mapping: YAML keeps the last silently, and in a
    hand-edited entry the first is usually the one that was meant."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice in one mapping", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)


def read_yaml(path: Path):
    """The YAML document at `path`, safely (no object construction); raises OSError or yaml.YAMLError."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


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
