"""Read the project's sourced data files in knowledge/, wherever the clone lives."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


@cache
def load_yaml(relative_path: str) -> Any:
    """Parse a YAML file under knowledge/ once per process; callers must not mutate it."""
    with (KNOWLEDGE_DIR / relative_path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def load_csv(relative_path: str) -> tuple[dict[str, str], ...]:
    """Rows of a CSV file under knowledge/ as dictionaries, read once per process."""
    with (KNOWLEDGE_DIR / relative_path).open(encoding="utf-8", newline="") as handle:
        return tuple(dict(row) for row in csv.DictReader(handle))
