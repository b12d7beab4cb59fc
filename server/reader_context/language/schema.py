"""What the curated data files (lexicon.yaml, grammar.yaml) share: strict models and errors that name the field.

People edit these files, so a mistake must come back as one sentence naming where it is and which field, and a
file that fails validation is never used half-way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from ..curated import read_yaml


class Strict(BaseModel):
    # Frozen, so one loaded instance can be shared by every request thread; unknown fields are typos.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def fail(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def describe(error: ValidationError, model: type[BaseModel]) -> tuple[str, str]:
    """The dotted field and a short message for the first problem pydantic found."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(entry)"
    message = first["msg"]
    if first["type"] == "extra_forbidden" and len(first["loc"]) == 1:
        message = "unknown field (allowed: " + ", ".join(model.model_fields) + ")"
    elif first["type"] == "extra_forbidden":
        message = "unknown field"
    elif first["type"] == "missing":
        message = "is required"
    return field, message


def read_mapping(path: Path, kind: str, error: type[ValueError], fields: str) -> dict[str, Any]:
    """The YAML mapping at `path`; anything else raises `error` saying what is wrong with the file."""
    try:
        raw = read_yaml(path)
    except OSError as exc:
        raise error(f"{kind} {path}: cannot be read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise error(f"{kind} {path}: is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise error(f"{kind} {path}: must be a mapping with {fields}")
    return raw
