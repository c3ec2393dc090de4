"""Reads for the Training site: answer keys, practice copies, scores, progress, qualification.

Each function issues a fixed number of statements, whatever the number of rows. Keys,
copies and scores are read inside the current scope (core/scope.py): a score counts
where its practice copy is; the reviewer qualification, asked of the person, does not.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from review_app.accounts.models import User
from review_app.cases.models import Assignment, Case
from review_app.cases.states import CaseStatus
from review_app.core.scope import in_scope
from review_app.extensions import db
from review_app.members.signals import qualification_asked
from review_app.sites.models import Site
from review_app.sites.settings import ReviewerQualification
from review_app.training.models import KeyExplanation, PracticeScore, PracticeScoreItem


def _with_details(statement):
    return statement.options(
        joinedload(Case.local_site),
        joinedload(Case.period),
        selectinload(Case.assignments).joinedload(Assignment.user),
    )


def _scores_in_scope(statement: Select, site: Site) -> Select:
    """Narrow a statement on practice scores to those whose copy is in the current scope."""
    return statement.join(Case, Case.id == PracticeScore.copy_id).where(
        PracticeScore.site_id == site.id, in_scope(Case, site)
    )


def keys(site: Site) -> list[Case]:
    """Return the site's answer keys by case number."""
    statement = select(Case).where(in_scope(Case, site), Case.is_key)
    return list(db.session.scalars(_with_details(statement).order_by(Case.case_number)).unique())


def key_candidates(site: Site) -> list[Case]:
    """Return the site's cases that could become answer keys: not keys, copies or eliminated."""
    statement = select(Case).where(
        in_scope(Case, site),
        ~Case.is_key,
        Case.key_case_id.is_(None),
        Case.status != CaseStatus.ELIMINATED,
    )
    return list(db.session.scalars(_with_details(statement).order_by(Case.case_number)).unique())


def copy_counts(site: Site) -> dict[int, tuple[int, int]]:
    """Return key id -> (practice copies made, scored attempts) for the site's keys."""
    copies = dict(
        db.session.execute(
            select(Case.key_case_id, func.count())
            .where(in_scope(Case, site), Case.key_case_id.is_not(None))
            .group_by(Case.key_case_id)
        ).all()
    )
    attempts = dict(
        db.session.execute(
            _scores_in_scope(select(PracticeScore.key_id, func.count()), site).group_by(
                PracticeScore.key_id
            )
        ).all()
    )
    return {
        key_id: (copies.get(key_id, 0), attempts.get(key_id, 0))
        for key_id in copies | attempts
        if key_id is not None  # only copies of a key were counted
    }


def explanations(key: Case) -> dict[tuple[str, str], str]:
    """Return (item id, question id or '') -> explanation text of an answer key."""
    rows = db.session.execute(
        select(KeyExplanation.item_id, KeyExplanation.question_id, KeyExplanation.text).where(
            KeyExplanation.case_id == key.id
        )
    )
    return {(item_id, question_id): text for item_id, question_id, text in rows}


def copy_for(key: Case, user: User) -> Case | None:
    """Return the user's practice copy of a key, if they started one."""
    return db.session.scalar(
        select(Case)
        .join(Assignment)
        .where(Case.key_case_id == key.id, Assignment.user_id == user.id)
        .order_by(Case.id)
    )


def copies_of(site: Site, user: User) -> dict[int, Case]:
    """Return key id -> the user's practice copy, for every key they started."""
    rows = db.session.scalars(
        select(Case)
        .join(Assignment)
        .where(in_scope(Case, site), Case.key_case_id.is_not(None), Assignment.user_id == user.id)
        .order_by(Case.id)
    )
    return {copy.key_case_id: copy for copy in rows if copy.key_case_id is not None}


@dataclass(frozen=True)
class KeyRecord:
    """A trainee's figures on one answer key."""

    attempts: int
    best_percent: float
    is_passed: bool


def records_of(site: Site, user: User) -> dict[int, KeyRecord]:
    """Return key id -> the user's attempts, best key match and whether one passed."""
    rows = db.session.execute(
        _scores_in_scope(
            select(
                PracticeScore.key_id,
                func.count(),
                func.max(PracticeScore.item_percent),
                func.max(case((PracticeScore.is_passed, 1), else_=0)),
            ),
            site,
        )
        .where(PracticeScore.trainee_id == user.id)
        .group_by(PracticeScore.key_id)
    )
    return {key_id: KeyRecord(n, best, bool(passed)) for key_id, n, best, passed in rows}


def scores_of_copy(copy: Case) -> list[PracticeScore]:
    """Return a copy's scored attempts, first to last, with their items."""
    return list(
        db.session.scalars(
            select(PracticeScore)
            .where(PracticeScore.copy_id == copy.id)
            .options(selectinload(PracticeScore.items))
            .order_by(PracticeScore.attempt)
        )
    )


def attempt_count(copy: Case) -> int:
    return db.session.execute(
        select(func.count()).where(PracticeScore.copy_id == copy.id)
    ).scalar_one()


@dataclass(frozen=True)
class TraineeProgress:
    user: User
    copies: int
    attempts: int
    keys_passed: int
    latest_percent: float | None
    best_percent: float | None
    last_at: datetime | None


def progress(site: Site, people: list[User]) -> list[TraineeProgress]:
    """Return each person's practice figures on the site, in the order given."""
    copies = dict(
        db.session.execute(
            select(Assignment.user_id, func.count())
            .join(Case, Case.id == Assignment.case_id)
            .where(in_scope(Case, site), Case.key_case_id.is_not(None))
            .group_by(Assignment.user_id)
        ).all()
    )
    figures = {
        row.trainee_id: row
        for row in db.session.execute(
            _scores_in_scope(
                select(
                    PracticeScore.trainee_id,
                    func.count().label("attempts"),
                    func.count(
                        func.distinct(case((PracticeScore.is_passed, PracticeScore.key_id)))
                    ).label("keys_passed"),
                    func.max(PracticeScore.item_percent).label("best"),
                    func.max(PracticeScore.submitted_at).label("last_at"),
                    func.max(PracticeScore.id).label("latest_id"),
                ),
                site,
            ).group_by(PracticeScore.trainee_id)
        )
    }
    latest = dict(
        db.session.execute(
            select(PracticeScore.id, PracticeScore.item_percent).where(
                PracticeScore.id.in_([row.latest_id for row in figures.values()] or [0])
            )
        ).all()
    )
    found = []
    for user in people:
        row = figures.get(user.id)
        found.append(
            TraineeProgress(
                user,
                copies.get(user.id, 0),
                row.attempts if row else 0,
                row.keys_passed if row else 0,
                latest.get(row.latest_id) if row else None,
                row.best if row else None,
                row.last_at if row else None,
            )
        )
    return found


def attempts_of(site: Site, user: User) -> list[PracticeScore]:
    """Return a trainee's scored attempts on the site, oldest first, with their keys."""
    return list(
        db.session.scalars(
            _scores_in_scope(select(PracticeScore), site)
            .where(PracticeScore.trainee_id == user.id)
            .options(joinedload(PracticeScore.key), joinedload(PracticeScore.copy))
            .order_by(PracticeScore.submitted_at, PracticeScore.id)
        )
    )


@dataclass(frozen=True)
class ItemKeyMatch:
    item_id: str
    compared: int
    agreed: int
    latest: bool | None  # the latest attempt's result on the item; None: not compared there

    @property
    def percent(self) -> float:
        return 100 * self.agreed / self.compared if self.compared else 0.0


def key_match_by_item(site: Site, user: User, latest_id: int | None) -> dict[str, ItemKeyMatch]:
    """Return item id -> how often the trainee's rating agreed with the key's, over all attempts."""
    in_latest = PracticeScoreItem.score_id == (latest_id or 0)
    rows = db.session.execute(
        select(
            PracticeScoreItem.item_id,
            func.count(),
            func.sum(case((PracticeScoreItem.is_agreed, 1), else_=0)),
            func.max(case((in_latest, 1), else_=0)),
            func.max(case((and_(in_latest, PracticeScoreItem.is_agreed), 1), else_=0)),
        )
        .join(PracticeScore, PracticeScore.id == PracticeScoreItem.score_id)
        .join(Case, Case.id == PracticeScore.copy_id)
        .where(in_scope(Case, site), PracticeScore.trainee_id == user.id)
        .group_by(PracticeScoreItem.item_id)
    )
    return {
        item_id: ItemKeyMatch(item_id, n, int(agreed), bool(latest_agreed) if in_it else None)
        for item_id, n, agreed, in_it, latest_agreed in rows
    }


@dataclass(frozen=True)
class Qualification:
    """A site's reviewer qualification rule and how far people are towards it."""

    rule: ReviewerQualification
    passed: dict[int, int]  # user id -> answer keys passed at the rule's key match

    def count(self, user_id: int | None) -> int:
        return self.passed.get(user_id, 0) if user_id is not None else 0

    def is_qualified(self, user_id: int | None) -> bool:
        return self.count(user_id) >= self.rule.passed_cases

    @property
    def rule_text(self) -> str:
        n, percent = self.rule.passed_cases, self.rule.item_agreement_percent
        return (
            f"{n} practice case{'s' if n != 1 else ''} passed on the Training site at "
            f"{percent}% item agreement or better"
        )

    def refusal(self, user: User | None) -> str:
        """Say why the person cannot be made a reviewer (a new account has passed nothing)."""
        who = user.display_name if user else "A new account"
        passed = self.count(user.id if user else None)
        return (
            f"{who} cannot be made a reviewer here yet: this site asks for {self.rule_text}, "
            f"and {'they have' if user else 'it has'} passed {passed}. "
            "Give them the reviewer role on the Training site to practise first."
        )


@qualification_asked.connect
def _answer_qualification(site: Site, user_ids: list[int]) -> Qualification | None:
    return qualification(site, user_ids)


def qualification(site: Site, user_ids: list[int]) -> Qualification | None:
    """Return the site's reviewer qualification with these people's figures (None: no rule)."""
    rule = site.settings.reviewer_qualification
    if rule is None:
        return None
    ids = [user_id for user_id in user_ids if user_id is not None]
    if not ids:
        return Qualification(rule, {})
    threshold = PracticeScore.items_agreed * 100 >= rule.item_agreement_percent * (
        PracticeScore.items_compared
    )
    rows = db.session.execute(
        select(PracticeScore.trainee_id, func.count(func.distinct(PracticeScore.key_id)))
        .join(Site, Site.id == PracticeScore.site_id)
        .where(
            Site.jurisdiction_id == site.jurisdiction_id,
            Site.kind == "training",
            PracticeScore.trainee_id.in_(ids),
            PracticeScore.items_compared > 0,
            threshold,
        )
        .group_by(PracticeScore.trainee_id)
    )
    return Qualification(rule, {user_id: int(n) for user_id, n in rows})
