"""Load and check the site kind settings in ``sites/*.toml``."""

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

SITE_KINDS: tuple[str, ...] = ("training", "cqi", "cfsr")
SiteKind = Literal["training", "cqi", "cfsr"]


class SettingsError(Exception):
    """A site settings file is missing or wrong; the message names file, place and fault."""


class ReviewerQualification(BaseModel):
    """What a person must have passed on the Training site before being made a reviewer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Different answer keys passed, each attempt at item_agreement_percent or better.
    passed_cases: int = Field(ge=1, le=100)
    item_agreement_percent: int = Field(ge=1, le=100)


class SiteKindSettings(BaseModel):
    """What differs between the Training, CQI and CFSR sites."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: SiteKind
    display_name: str = Field(min_length=1, max_length=40)
    description: str = Field(min_length=1, max_length=300)
    is_practice: bool
    practice_banner: str = Field(default="", max_length=300)
    qa_levels: Literal[1, 2]
    allow_practice_reset: bool = False
    allow_qa_override: bool = True
    period_open_start_allowed: bool = False
    # Practice sites: the item agreement a scored practice case needs to pass.
    practice_pass_percent: int = Field(default=80, ge=1, le=100)
    # Days a case may wait unheld in a QA queue before its QA staff are reminded daily.
    qa_waiting_days: int = Field(default=5, ge=1, le=365)
    # Absent: anyone may be made a reviewer. Not for practice sites.
    reviewer_qualification: ReviewerQualification | None = None

    @model_validator(mode="after")
    def _qualification_not_on_practice(self) -> "SiteKindSettings":
        if self.is_practice and self.reviewer_qualification is not None:
            raise ValueError(
                "reviewer_qualification is for the CQI and CFSR sites; practice happens here"
            )
        return self


def _describe(error: ErrorDetails) -> str:
    place = ".".join(str(part) for part in error["loc"]) or "(top level)"
    return f"{place}: {error['msg']}"


def load_kind_settings(path: Path, kind: str) -> SiteKindSettings:
    """Read one settings file; raise SettingsError naming the file, place and fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: missing; every site kind needs its settings file") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    try:
        settings = SiteKindSettings.model_validate(raw)
    except ValidationError as exc:
        faults = "; ".join(_describe(error) for error in exc.errors())
        raise SettingsError(f"{path}: {faults}") from None
    if settings.kind != kind:
        raise SettingsError(f"{path}: kind: says {settings.kind!r} but the file is for {kind!r}")
    return settings


def load_all_settings(directory: Path) -> dict[str, SiteKindSettings]:
    """Read the settings of every site kind from ``directory``."""
    return {kind: load_kind_settings(directory / f"{kind}.toml", kind) for kind in SITE_KINDS}
