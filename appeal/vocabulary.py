"""Word lists for the answer parsers, read from knowledge/vocabulary/*.yml.

The lists live in data so reviewers can add member wording without touching code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from appeal.knowledge import load_yaml


def load_vocabulary(name: str) -> Mapping[str, Any]:
    """knowledge/vocabulary/<name>.yml, parsed once per process (see appeal.knowledge)."""
    data = load_yaml(f"vocabulary/{name}.yml")
    if not isinstance(data, dict):
        raise ValueError(f"vocabulary/{name}.yml must hold a mapping at the top level")
    return data


def word_list(name: str, key: str) -> tuple[str, ...]:
    """One list of phrases, checked so an unquoted YAML `no` (read as False) fails loudly."""
    return _strings(load_vocabulary(name)[key], f"{name}.yml {key}")


def word_lists(name: str, key: str) -> dict[str, tuple[str, ...]]:
    """A section of label -> phrases; a single string counts as a one-item list."""
    section = load_vocabulary(name)[key]
    if not isinstance(section, dict) or not all(isinstance(label, str) for label in section):
        raise ValueError(f"{name}.yml {key} must map text labels to phrases")
    return {label: _strings(value, f"{name}.yml {key}.{label}") for label, value in section.items()}


def _strings(value: Any, where: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError(f"{where} must be a string or a list of strings")
    return tuple(items)
