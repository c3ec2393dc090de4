"""An interview's details as entered, and the checks they must pass."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.members.models import Membership
from review_app.periods.models import ReviewPeriod
from review_app.periods.operations import EARLIEST, LATEST
from review_app.sites.models import LocalSite

MAX_TITLE = 120


@dataclass
class InterviewFacts:
    """What the interview form holds, with the people and local site already looked up."""

    held_on: date | None
    local_site: LocalSite | None
    title: str = ""
    stakeholder_types: list[str] = field(default_factory=list)
    interviewer: User | None = None
    official_note_taker: User | None = None
    supporting: list[User] = field(default_factory=list)

    @property
    def note_taker_ids(self) -> list[int]:
        people = [self.official_note_taker, *self.supporting]
        return [user.id for user in people if user is not None]

    @property
    def participant_ids(self) -> set[int]:
        interviewer = [self.interviewer.id] if self.interviewer else []
        return {*interviewer, *self.note_taker_ids}


def _active_reviewers(period: ReviewPeriod, users: list[User]) -> set[int]:
    ids = {user.id for user in users}
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.site_id == period.site_id,
                Membership.user_id.in_(ids),
                Membership.is_active,
                Membership.is_reviewer,
            )
        )
    )


def check_facts(period: ReviewPeriod, facts: InterviewFacts) -> dict[str, str]:
    """Return a message per form field at fault (empty when all is well)."""
    errors = {}
    if facts.held_on is None:
        errors["held_on"] = "Give the date of the interview."
    elif not EARLIEST <= facts.held_on <= LATEST:
        errors["held_on"] = f"Give a date between {EARLIEST.year} and {LATEST.year}."
    if facts.local_site is None or facts.local_site not in period.local_sites:
        errors["local_site_id"] = "Choose one of the local sites of this review period."
    if len(facts.title.strip()) > MAX_TITLE:
        errors["title"] = f"Use at most {MAX_TITLE} characters."
    known = get_instrument(period.instrument_version).stakeholder_types
    if not facts.stakeholder_types:
        errors["stakeholder_types"] = "Choose at least one type of stakeholder who took part."
    elif unknown := [code for code in facts.stakeholder_types if code not in known]:
        errors["stakeholder_types"] = f"Unknown stakeholder type: {', '.join(unknown)}."
    people = [facts.interviewer, facts.official_note_taker, *facts.supporting]
    reviewers = _active_reviewers(period, [user for user in people if user is not None])
    for name, user, role in (
        ("interviewer_id", facts.interviewer, "interviewer"),
        ("official_note_taker_id", facts.official_note_taker, "official note-taker"),
    ):
        if user is None or user.id not in reviewers:
            errors[name] = f"Choose the {role} from the site's reviewers."
    for user in facts.supporting:
        if user.id not in reviewers:
            errors["supporting_ids"] = f"{user.display_name} is not a reviewer on this site."
    official = facts.official_note_taker
    if official is not None and official.id in {user.id for user in facts.supporting}:
        errors["supporting_ids"] = (
            f"{official.display_name} is the official note-taker: leave them out of the "
            "supporting note-takers."
        )
    return errors
