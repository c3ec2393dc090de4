"""Which instrument versions exist: one file per version in the instruments folder."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from flask import current_app

from review_app.instruments.loader import load_cached, read_yaml
from review_app.instruments.model import Instrument


@dataclass(frozen=True)
class VersionInfo:
    version: str
    title: str
    path: Path


def _directory() -> Path:
    return Path(current_app.config["INSTRUMENTS_DIR"])


def available_versions(directory: Path | None = None) -> list[VersionInfo]:
    """Return the versions found in the instruments folder, by file name.

    Files are read again only when one is added, removed or changed.
    """
    paths = sorted((directory or _directory()).glob("*.yaml"))
    return _versions(tuple((str(path), path.stat().st_mtime) for path in paths))


@cache
def _versions(files: tuple[tuple[str, float], ...]) -> list[VersionInfo]:
    found = []
    for name, _modified in files:
        try:
            head = read_yaml(Path(name)) or {}
        except yaml.YAMLError:
            continue  # `flask instruments check` names the fault; it is not offered meanwhile
        if isinstance(head, dict) and isinstance(head.get("version"), str):
            found.append(
                VersionInfo(head["version"], str(head.get("title", head["version"])), Path(name))
            )
    return found


def get_instrument(version: str) -> Instrument:
    """Return the checked instrument of a version; raise LookupError when there is none.

    A file that fails its checks raises InstrumentError naming every fault.
    """
    for info in available_versions():
        if info.version == version:
            return load_cached(str(info.path), info.path.stat().st_mtime)
    raise LookupError(f"no instrument file has version {version!r}")


def newest_instrument() -> Instrument | None:
    """Return the instrument of the last version file, to name question ids in the audit log.

    An audit entry does not record its instrument version; question ids keep their
    meaning from one version to the next, so the newest one names them.
    """
    versions = available_versions()
    return get_instrument(versions[-1].version) if versions else None


def version_title(version: str) -> str:
    """Return an instrument version's title, as people read it (the version when unknown)."""
    return next((info.title for info in available_versions() if info.version == version), version)
