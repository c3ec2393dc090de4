"""Cases and their reviewer assignments."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.audit.labels import name_values
from review_app.cases.states import STATUS_LABELS, CaseStatus
from review_app.core.models import state_type, utcnow
from review_app.extensions import Model
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import LocalSite

CASE_TYPES = {"foster_care": "Foster care", "in_home": "In-home services"}
# The audit log and a case's history write these values in words.
name_values("status", STATUS_LABELS)
name_values("case_type", CASE_TYPES)
# Reasons a case is taken out of the sample; "other" needs an explanation.
ELIMINATION_REASONS = {
    "unavailable": "Key people were unavailable or unwilling to be interviewed",
    "out_of_area": "Parties moved out of the county or state",
    "in_home_short": "In-home case open fewer than 60 days in the period under review",
    "in_home_fc": "In-home case where a child was in foster care over 24 hours",
    "fc_short": "Foster care case open under 24 hours",
    "trial_visit": "Foster care case on a trial home visit for the whole period",
    "duplicate": "The case was sampled twice",
    "other": "Another reason (explain)",
}


class Case(Model):
    """A sampled case of a review period, rated by its assigned reviewers."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("period_id", "case_number"),
        Index("ix_cases_site_status", "site_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept beside period_id so every site-scoped query filters one column.
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("review_periods.id"), index=True)
    local_site_id: Mapped[int] = mapped_column(ForeignKey("local_sites.id"), index=True)
    case_number: Mapped[str] = mapped_column(String(40))
    case_type: Mapped[str] = mapped_column(String(20))
    child_name: Mapped[str] = mapped_column(String(80))
    child_birth_date: Mapped[date | None]
    # Codes of the instrument's ``demographics`` (review_app/cases/demographics.py);
    # empty when not recorded. Races are rows of ``case_races``: a child may have several.
    child_sex: Mapped[str] = mapped_column(String(40), default="", server_default="")
    child_hispanic: Mapped[str] = mapped_column(String(40), default="", server_default="")
    family_name: Mapped[str] = mapped_column(String(120), default="")
    opened_on: Mapped[date | None]
    removal_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    # For periods with an open start: this case's start of the period under review.
    pur_start: Mapped[date | None]
    status: Mapped[CaseStatus] = mapped_column(
        state_type(CaseStatus, "status"), default=CaseStatus.IN_PROGRESS
    )
    # Bumped by every status change, so two people acting at once cannot both win.
    status_version: Mapped[int] = mapped_column(default=0)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    finalized_at: Mapped[datetime | None]
    elimination_reason: Mapped[str | None] = mapped_column(String(30))
    elimination_note: Mapped[str] = mapped_column(String(1000), default="")
    # Practice sites (see review_app/training): an answer key holds the expert answers;
    # a trainee's copy of it points at it. A copy is never a key.
    is_key: Mapped[bool] = mapped_column(default=False)
    key_published_at: Mapped[datetime | None]
    key_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    # The QA person working on the case at its current QA level; None while it waits
    # in the queue. Set by taking the case, cleared when it leaves that level.
    qa_holder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    period: Mapped[ReviewPeriod] = relationship()
    qa_holder: Mapped[User | None] = relationship(foreign_keys=[qa_holder_id])
    local_site: Mapped[LocalSite] = relationship()
    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Assignment.id"
    )
    races: Mapped[list["CaseRace"]] = relationship(
        cascade="all, delete-orphan", order_by="CaseRace.race"
    )

    @property
    def child_races(self) -> list[str]:
        """Return the codes of the child's races, in code order."""
        return [row.race for row in self.races]

    @property
    def reviewers(self) -> list[User]:
        return [assignment.user for assignment in self.assignments]

    @property
    def case_type_label(self) -> str:
        return CASE_TYPES.get(self.case_type, self.case_type)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_key_draft(self) -> bool:
        return self.is_key and self.key_published_at is None

    @property
    def effective_pur_start(self) -> date | None:
        return self.period.pur_start or self.pur_start

    def audit_fields(
        self,
        local_site: LocalSite | None = None,
        reviewers: list[User] | None = None,
        races: list[str] | None = None,
    ) -> dict:
        """Return the fields an audit entry records; an import passes what it has not loaded."""
        local_site = local_site or self.local_site
        return {
            "case_number": self.case_number,
            "case_type": self.case_type,
            "local_site": local_site.code if local_site else None,
            "child_name": self.child_name,
            "child_birth_date": self.child_birth_date,
            "child_sex": self.child_sex,
            "child_races": self.child_races if races is None else sorted(races),
            "child_hispanic": self.child_hispanic,
            "family_name": self.family_name,
            "opened_on": self.opened_on,
            "removal_on": self.removal_on,
            "closed_on": self.closed_on,
            "pur_start": self.pur_start,
            "status": self.status,
            "reviewers": sorted(
                {user.username for user in (self.reviewers if reviewers is None else reviewers)}
            ),
        }

    def __repr__(self) -> str:
        return f"<Case {self.case_number!r} of period {self.period_id}>"


class Assignment(Model):
    """A reviewer assigned to a case (cases are usually rated by a pair)."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Assignment case={self.case_id} user={self.user_id}>"


class CaseRace(Model):
    """One race of a case's target child (a child may have several)."""

    __tablename__ = "case_races"
    # The key serves a case's races; the index, the cases of one race (filters, breakdowns).
    __table_args__ = (Index("ix_case_races_race_case", "race", "case_id"),)

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    race: Mapped[str] = mapped_column(String(40), primary_key=True, autoincrement=False)

    def __repr__(self) -> str:
        return f"<CaseRace case={self.case_id} {self.race}>"
