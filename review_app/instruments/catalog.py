"""Which instrument versions exist: one file per version in the instruments folder."""

from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app


@dataclass(frozen=True)
class VersionInfo:
    version: str
    title: str
    path: Path


def available_versions(directory: Path | None = None) -> list[VersionInfo]:
    """Return the versions found in the instruments folder, by version id."""
    directory = directory or current_app.config["INSTRUMENTS_DIR"]
    found = []
    for path in sorted(directory.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            head = yaml.safe_load(handle) or {}
        if isinstance(head, dict) and isinstance(head.get("version"), str):
            found.append(VersionInfo(head["version"], str(head.get("title", head["version"])), path))
    return found
