"""Every change to practice copies: starting, scoring, resetting (keys: key_operations.py)."""

from sqlalchemy import delete, select

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.cases.facts import CaseFacts
from review_app.cases.models import Case
from review_app.cases.operations import create_case, move_status
from review_app.cases.queries import is_assigned
from review_app.cases.states import CaseStatus
from review_app.core.errors import OperationError
from review_app.core.locking import lock_row
from review_app.core.models import utcnow
from review_app.core.numbers import percent_text
from review_app.core.roles import roles_of
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.periods.operations import hold_open
from review_app.qa.models import Thread
from review_app.qa.signals import practice_copy_submitted
from review_app.ratings import queries as rating_queries
from review_app.ratings.demographics import case_answers
from review_app.ratings.models import FACE_SHEET, Answer, ItemReview, OutcomeRating
from review_app.ratings.operations import ItemInput, item_questions, recalculate, save_item
from review_app.sites.models import Site
from review_app.training import queries
from review_app.training.models import PracticeScore, PracticeScoreItem
from review_app.training.scoring import compare


def practice_site(case: Case) -> Site:
    """Return the case's site, refusing a site that is not for practice."""
    site = case.period.site
    if not site.settings.is_practice:
        raise OperationError("Answer keys and practice scores belong on the Training site.")
    return site


def set_status(case: Case, status: str) -> None:
    """Change the status outside the review workflow, unless someone changed it first."""
    move_status(
        case,
        status,
        refused="Someone else changed this case a moment ago; nothing was done. Look at it again.",
    )


def _copy_number(key: Case, user: User) -> str:
    """Return the copy's case number, read by people: 'KEY-IH-2 by Reese Reviewer'.

    Case numbers are unique per period: when another copy of the key already has
    the name (two trainees of one name), a count follows it.
    """
    taken = set(db.session.scalars(select(Case.case_number).where(Case.period_id == key.period_id)))
    name = " ".join(user.display_name.split()) or "a trainee"
    for count in range(1, len(taken) + 2):
        suffix = f" by {name}" + (f" ({count})" if count > 1 else "")
        number = key.case_number[: max(0, 40 - len(suffix))] + suffix
        if number not in taken:
            return number[:40]
    raise AssertionError("unreachable: one of len(taken) + 1 names is free")


def start_copy(actor: User, key: Case) -> tuple[Case, bool]:
    """Give a trainee their own copy of a published key; return it and whether it is new."""
    site = practice_site(key)
    lock_row(key)  # a double click waits here, then finds the copy the first one made
    if not key.is_key:
        raise OperationError(f"Case {key.case_number} is not an answer key.")
    if not roles_of(actor, site).is_reviewer:
        raise OperationError("Only the site's reviewers practise on answer keys.")
    existing = queries.copy_for(key, actor)
    if existing is not None:
        return existing, False
    if key.is_key_draft:
        raise OperationError(f"The answer key {key.case_number} is not published.")
    facts = CaseFacts(
        case_number=_copy_number(key, actor),
        case_type=key.case_type,
        local_site=key.local_site,
        child_name=key.child_name,
        child_birth_date=key.child_birth_date,
        family_name=key.family_name,
        opened_on=key.opened_on,
        removal_on=key.removal_on,
        closed_on=key.closed_on,
        pur_start=key.pur_start,
        reviewers=[actor],
        child_sex=key.child_sex,
        child_races=key.child_races,
        child_hispanic=key.child_hispanic,
    )
    copy = create_case(actor, key.period, facts)
    copy.key_case_id = key.id
    _copy_face_sheet(actor, copy, key)
    record(
        actor,
        "training.start",
        copy,
        f"{actor.display_name} started practice case {key.case_number}",
        site=site,
        after={"key": key.case_number, "copy": copy.case_number},
    )
    return copy, True


def _copy_face_sheet(actor: User, copy: Case, key: Case) -> None:
    """Give the copy the key's face sheet: the case facts are not what a trainee is scored on."""
    instrument = get_instrument(copy.period.instrument_version)
    stored = rating_queries.answers(key)
    questions = item_questions(instrument, FACE_SHEET)
    review = rating_queries.item_reviews(copy)[FACE_SHEET]
    save_item(
        actor,
        copy,
        instrument,
        FACE_SHEET,
        ItemInput(
            # The key case's own demographics, which its stored answers may predate.
            {q.id: stored[q.id].value for q in questions if q.id in stored}
            | case_answers(key, instrument),
            {q.id for q in questions},
            {q.id: stored[q.id].narrative for q in questions if q.id in stored},
            "",
            review.lock_version,
        ),
    )


@practice_copy_submitted.connect
def _score_submitted_copy(copy: Case, actor: User) -> None:
    score_submission(actor, copy)


def score_submission(actor: User, copy: Case) -> PracticeScore:
    """Compare a practice copy being submitted with its key, and keep the score.

    Raise OperationError when the case has no key or the key is being revised.
    """
    key = db.session.get(Case, copy.key_case_id) if copy.key_case_id else None
    if key is None or not key.is_key:
        raise OperationError(
            f"Case {copy.case_number} is not a practice copy of an answer key, so there is "
            "nothing to score it against."
        )
    if key.is_key_draft:
        raise OperationError(
            f"The answer key {key.case_number} is being revised, so this practice case cannot "
            "be scored now. Submit it once the administrators publish the key again."
        )
    site = practice_site(copy)
    instrument = get_instrument(copy.period.instrument_version)
    key_ratings, _rows, key_reviews = rating_queries.case_ratings(key, instrument)
    mine, _rows, _reviews = rating_queries.case_ratings(copy, instrument)
    result = compare(instrument, key_ratings, mine)
    pass_percent = site.settings.practice_pass_percent
    counts = {
        "items_agreed": result.items_agreed,
        "items_compared": result.items_compared,
        "answers_agreed": result.answers_agreed,
        "answers_compared": result.answers_compared,
    }
    score = PracticeScore(
        site_id=site.id,
        copy_id=copy.id,
        key_id=key.id,
        trainee_id=actor.id,
        attempt=queries.attempt_count(copy) + 1,
        submitted_at=utcnow(),
        **counts,
        item_percent=result.item_percent,
        pass_percent=pass_percent,
        is_passed=result.passes(pass_percent),
        items=[
            PracticeScoreItem(
                item_id=item.item_id,
                trainee_rating=item.trainee_rating,
                key_rating=item.key_rating,
                is_agreed=item.is_agreed,
                answers_compared=item.answers_compared,
                answers_agreed=item.answers_agreed,
                differences=item.differences,
                key_rationale=key_reviews[item.item_id].rationale,
            )
            for item in result.items
        ],
    )
    db.session.add(score)
    record(
        actor,
        "training.score",
        copy,
        f"Practice case {copy.case_number}, attempt {score.attempt}: "
        f"{percent_text(score.item_percent)} item agreement, "
        + ("passed" if score.is_passed else "not passed"),
        site=site,
        after={"attempt": score.attempt, **counts, "passed": score.is_passed},
    )
    return score


def reset_copy(actor: User, copy: Case) -> None:
    """Clear a trainee's practice copy to try again; the scores of earlier attempts are kept."""
    site = practice_site(copy)
    lock_row(copy)
    if copy.key_case_id is None:
        raise OperationError(f"Case {copy.case_number} is not a practice copy; it cannot be reset.")
    if not site.settings.allow_practice_reset:
        raise OperationError("This site does not allow practice cases to be reset.")
    if not is_assigned(copy, actor.id):
        raise OperationError("Only the trainee whose practice case this is can reset it.")
    if copy.status not in CaseStatus.RESETTABLE:
        raise OperationError(
            f"This practice case is {copy.status_label.lower()}, so it cannot be reset now."
        )
    hold_open(copy.period, "The review period is closed, so the case could not be rated again.")
    attempts = queries.attempt_count(copy)
    before = {"status": copy.status, "answers": len(rating_queries.answers(copy))}
    for model in (Answer, ItemReview, OutcomeRating, Thread):
        db.session.execute(delete(model).where(model.case_id == copy.id))
    db.session.add(ItemReview(case_id=copy.id, item_id=FACE_SHEET))
    db.session.flush()
    instrument = get_instrument(copy.period.instrument_version)
    recalculate(copy, instrument, {}, rating_queries.item_reviews(copy))
    if copy.status != CaseStatus.IN_PROGRESS:
        set_status(copy, CaseStatus.IN_PROGRESS)  # first, so the face sheet below may be saved
    key = db.session.get_one(Case, copy.key_case_id)
    _copy_face_sheet(actor, copy, key)
    copy.submitted_at = copy.finalized_at = None
    record(
        actor,
        "training.reset",
        copy,
        f"Practice case {copy.case_number} reset for attempt {attempts + 1}",
        site=site,
        before=before,
        after={"status": copy.status, "answers": 0, "next_attempt": attempts + 1},
    )
