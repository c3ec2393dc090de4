"""Every change to a case's answers and ratings."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.cases.models import Case
from review_app.cases.queries import is_assigned
from review_app.cases.signals import case_added, case_facts_changed, cases_imported
from review_app.cases.states import CaseStatus
from review_app.core.bulk import insert_rows
from review_app.core.errors import Conflict, FieldErrors, StateChanged
from review_app.core.locking import lock_row, update_if_unchanged
from review_app.extensions import db
from review_app.instruments.answers import AnswerError, parse
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import INCOMPLETE, NA, CaseRatings, rate_case
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Question
from review_app.periods.models import ReviewPeriod
from review_app.ratings import queries
from review_app.ratings.dates import (
    CHILDREN,
    face_sheet_date_errors,
    table_date_errors,
    target_birth,
    with_target_birth,
)
from review_app.ratings.demographics import case_answers, take_demographics
from review_app.ratings.models import (
    FACE_SHEET,
    Answer,
    ItemReview,
    OutcomeRating,
    RatingChange,
    SubitemRating,
    SubmittedRating,
)

MAX_NARRATIVE = 4000
MAX_RATIONALE = 8000


def answer_errors(errors: dict[str, str]) -> FieldErrors:
    """Refuse answers that do not fit their questions; nothing is saved."""
    return FieldErrors(errors, f"{len(errors)} answer(s) need fixing; nothing was saved.")


def edit_refusal(actor: User | None, case: Case) -> str | None:
    """Say why ``case`` can no longer take this person's answers, as it stands now."""
    if case.is_key:
        if not case.is_key_draft:
            return "This answer key was published meanwhile; your change was not saved."
    elif actor is not None and not is_assigned(case, actor.id):
        return "You are no longer assigned to this case; your change was not saved."
    if case.status not in CaseStatus.EDITABLE:
        return (
            f"This case moved to “{case.status_label}” meanwhile; your change was not saved. "
            "What you sent is shown below."
        )
    if not case.period.is_open:
        return "The review period was closed meanwhile; your change was not saved."
    return None


def lock_for_edit(actor: User | None, case: Case) -> None:
    """Lock the case and check, on its current state, that ``actor`` may still edit it."""
    lock_row(case)
    lock_row(case.period, shared=True)  # closing the period waits for this save, or beats it
    refused = edit_refusal(actor, case)
    if refused:
        raise StateChanged(refused)


@dataclass
class ItemInput:
    """What a reviewer sent for one item (raw, before checks)."""

    answers: dict[str, Any]
    # The questions that were on the page; others keep their stored answers.
    shown: set[str] = field(default_factory=set)
    narratives: dict[str, str] = field(default_factory=dict)
    rationale: str = ""
    lock_version: int = 0


def item_questions(instrument: Instrument, item_id: str) -> list[Question]:
    if item_id == FACE_SHEET:
        return list(instrument.definition.face_sheet)
    return instrument.item_questions(instrument.items[item_id])


def _check(instrument: Instrument, questions: list[Question], data: ItemInput) -> dict[str, Any]:
    errors, clean = {}, {}
    for question in questions:
        try:
            clean[question.id] = parse(instrument, question, data.answers.get(question.id))
        except AnswerError as error:
            errors[question.id] = str(error)
        narrative = data.narratives.get(question.id, "")
        if len(narrative) > MAX_NARRATIVE:
            errors[f"{question.id}__narrative"] = f"Use at most {MAX_NARRATIVE} characters."
    if len(data.rationale) > MAX_RATIONALE:
        errors["rationale"] = f"Use at most {MAX_RATIONALE} characters."
    if errors:
        raise answer_errors(errors)
    return clean


def _claim(case: Case, review: ItemReview, expected: int, actor: User | None, same=None) -> bool:
    """Take the next edit number; return False when the same person already saved this.

    Raise Conflict when someone saved in between with other content.
    """
    try:
        update_if_unchanged(
            review,
            ItemReview.lock_version == expected,
            values={"lock_version": expected + 1, "updated_by_id": actor.id if actor else None},
        )
    except Conflict:
        current = queries.answers(case)
        who = db.session.get(User, review.updated_by_id) if review.updated_by_id else None
        by = who.display_name if who else "Someone"
        is_self = actor is not None and review.updated_by_id == actor.id
        if is_self and same is not None and same(current, review):
            return False
        raise Conflict(
            "You already saved this item (another tab, or a second click); the page shows "
            "what was saved. Compare it with what you sent below, then save again if needed."
            if is_self
            else f"{by} saved this item while you were editing it. Nothing of yours was "
            "saved: compare the two versions below, then save again.",
            theirs={
                "answers": queries.answer_values(current),
                "rationale": review.rationale,
            },
            by=by,
            is_self=is_self,
        ) from None
    return True


def save_item(
    actor: User | None, case: Case, instrument: Instrument, item_id: str, data: ItemInput
) -> CaseRatings:
    """Save an item's answers, narratives and rationale, then recalculate the case's ratings."""
    return save_items(actor, case, instrument, {item_id: data})


def save_items(
    actor: User | None, case: Case, instrument: Instrument, sent: dict[str, ItemInput]
) -> CaseRatings:
    """Save several items of a case at once (the face sheet first), as one save each.

    Every item is checked before anything is written; the case is locked and rated
    once, and each item keeps its own edit number, change history and audit entry.
    """
    sent = dict(sorted(sent.items(), key=lambda pair: pair[0] != FACE_SHEET))
    questions = {
        item_id: [q for q in item_questions(instrument, item_id) if q.id in data.shown]
        for item_id, data in sent.items()
    }
    clean: dict[str, dict[str, Any]] = {}
    for item_id, data in sent.items():
        clean[item_id] = _check(instrument, questions[item_id], data)
        if wrong := table_date_errors(clean[item_id]):
            raise answer_errors(wrong)
    lock_for_edit(actor, case)
    reviews = queries.item_reviews(case)
    rows = queries.answers(case)
    if FACE_SHEET in clean:  # its dates are checked against the other stored answers
        stored = queries.answer_values(rows)
        facts = {**stored, **clean[FACE_SHEET]}
        if wrong := face_sheet_date_errors(facts, case.child_birth_date):
            raise answer_errors(wrong)
    changes: dict[str, tuple[dict, dict]] = {}
    old_ratings = {item_id: review.rating for item_id, review in reviews.items()}
    for item_id, data in sent.items():
        review = reviews[item_id]
        wanted = {
            q.id: (clean[item_id][q.id], data.narratives.get(q.id, "").strip())
            for q in questions[item_id]
        }
        rationale = data.rationale.strip()
        same = _repeats(wanted, None if item_id == FACE_SHEET else rationale)
        if not _claim(case, review, data.lock_version, actor, same):
            continue  # a repeat of their own save
        changes[item_id] = _write_answers(actor, case, rows, wanted)
        if item_id != FACE_SHEET and rationale != review.rationale:
            before, after = changes[item_id]
            before["rationale"], after["rationale"] = review.rationale, rationale
            review.rationale = rationale
        if item_id == FACE_SHEET:
            _take_birth_date(actor, case, queries.answer_values(rows))
            take_demographics(actor, case, instrument, clean[FACE_SHEET])
    if not changes:
        return queries.case_ratings(case, instrument)[0]
    ratings = recalculate(case, instrument, rows, reviews)
    for item_id, (before, after) in changes.items():
        if item_id != FACE_SHEET and ratings.items[item_id].rating != old_ratings[item_id]:
            before["rating"], after["rating"] = old_ratings[item_id], ratings.items[item_id].rating
        for field_name in before:
            log_change(actor, case, item_id, field_name, before[field_name], after[field_name])
        record(
            actor,
            "case.item_save",
            case,
            f"{_item_label(instrument, item_id)} of case {case.case_number} saved",
            site=case_site(case),
            before=before,
            after=after,
        )
    return ratings


def _item_label(instrument: Instrument, item_id: str) -> str:
    return "Face sheet" if item_id == FACE_SHEET else f"Item {instrument.items[item_id].number}"


def _repeats(wanted: dict[str, tuple], rationale: str | None):
    """A test of whether the stored item already says what was sent (a repeated save)."""

    def same(current: dict[str, Answer], stored: ItemReview) -> bool:
        have = {
            q: (current[q].value, current[q].narrative) if q in current else (None, "")
            for q in wanted
        }
        return have == wanted and (rationale is None or stored.rationale == rationale)

    return same


def _write_answers(
    actor: User | None, case: Case, rows: dict[str, Answer], wanted: dict[str, tuple]
) -> tuple[dict, dict]:
    """Store the (value, narrative) pairs that differ; return what they were and are."""
    before, after = {}, {}
    for question_id, new in wanted.items():
        row = rows.get(question_id)
        old = (row.value, row.narrative) if row else (None, "")
        if old == new:
            continue
        before[question_id], after[question_id] = _shown(old), _shown(new)
        if row is None:
            row = Answer(case_id=case.id, question_id=question_id)
            db.session.add(row)
            rows[question_id] = row
        row.value, row.narrative = new
        row.updated_by_id = actor.id if actor else None
    return before, after


def _take_birth_date(actor: User | None, case: Case, values: dict[str, Any]) -> None:
    """Set the case's birth date from the face sheet's target child (see ratings/dates.py)."""
    birth = target_birth(values)
    if birth is None or birth == case.child_birth_date:
        return
    before = {"child_birth_date": case.child_birth_date}
    case.child_birth_date = birth
    record(
        actor,
        "case.update",
        case,
        f"Target child's birth date of case {case.case_number} taken from the face sheet",
        site=case_site(case),
        before=before,
        after={"child_birth_date": birth},
    )


def log_change(
    actor: User | None,
    case: Case,
    item_id: str,
    field_name: str,
    before: Any,
    after: Any,
    reason: str = "",
) -> None:
    """Add a line to the case's rating change history."""
    db.session.add(
        RatingChange(
            case_id=case.id,
            item_id=item_id,
            field=field_name,
            before=before,
            after=after,
            actor_id=actor.id if actor else None,
            actor_name=actor.username if actor else "system",
            case_status=case.status,
            reason=reason,
        )
    )


def _shown(pair: tuple) -> Any:
    value, narrative = pair
    return {"answer": value, "narrative": narrative} if narrative else value


def case_site(case: Case):
    return case.period.site


def recalculate(
    case: Case, instrument: Instrument, rows: dict[str, Answer], reviews: dict[str, ItemReview]
) -> CaseRatings:
    """Rate the case from its answers and overrides; store every item and outcome rating."""
    ratings = rate_case(
        instrument, case.case_type, queries.answer_values(rows), queries.overrides(reviews)
    )
    for item_id, result in ratings.items.items():
        review = reviews.get(item_id)
        if review is None:
            review = ItemReview(case_id=case.id, item_id=item_id)
            db.session.add(review)
            reviews[item_id] = review
        review.rating = result.rating
    store_subitems(case, instrument, ratings)
    stored = queries.outcome_ratings(case)
    for outcome_id, rating in ratings.outcomes.items():
        if outcome_id not in stored:
            db.session.add(OutcomeRating(case_id=case.id, outcome_id=outcome_id, rating=rating))
        else:
            stored[outcome_id].rating = rating
    return ratings


def _subitem_ratings(instrument: Instrument, ratings: CaseRatings):
    """Yield (item id, sub-item id, rating) of every sub-item of the instrument.

    A sub-item the engine did not reach (its item Not Applicable, or its applicability
    questions unanswered) takes its item's rating, so every case has a row for each.
    """
    for item in instrument.items.values():
        result = ratings.items.get(item.id)
        if result is None:
            continue
        for sub in item.subitems:
            rating = result.subitems.get(sub.id)
            yield item.id, sub.id, rating or (NA if result.rating == NA else INCOMPLETE)


def store_subitems(case: Case, instrument: Instrument, ratings: CaseRatings) -> None:
    """Store each sub-item's calculated rating beside its item's (reports count them)."""
    stored = queries.subitem_ratings(case)
    for item_id, subitem_id, rating in _subitem_ratings(instrument, ratings):
        if subitem_id in stored:
            stored[subitem_id].rating = rating
        else:
            db.session.add(
                SubitemRating(
                    case_id=case.id, item_id=item_id, subitem_id=subitem_id, rating=rating
                )
            )


def subitem_rows(case_id: int, instrument: Instrument, ratings: CaseRatings) -> list[dict]:
    """Return the sub-item rating rows of a case rated at once, for a bulk insert."""
    return [
        {"case_id": case_id, "item_id": item_id, "subitem_id": subitem_id, "rating": rating}
        for item_id, subitem_id, rating in _subitem_ratings(instrument, ratings)
    ]


def keep_submitted_ratings(case: Case, submitted_by: User) -> None:
    """Keep the item ratings of a case's first submission, and who submitted them.

    Later submissions change nothing: agreement compares the first one.
    """
    if db.session.scalar(select(SubmittedRating.id).where(SubmittedRating.case_id == case.id)):
        return
    for item_id, review in queries.item_reviews(case).items():
        if item_id != FACE_SHEET:
            db.session.add(
                SubmittedRating(
                    case_id=case.id,
                    item_id=item_id,
                    rating=review.effective_rating,
                    submitted_by_id=submitted_by.id,
                )
            )


# What ratings do when the cases domain (below this one) adds or changes a case.


def _face_sheet_values(case: Case, instrument: Instrument) -> dict[str, str]:
    """Return the face sheet's answers that the case's own dates fill in, by question id."""
    values = {}
    for question in instrument.definition.face_sheet:
        value = getattr(case, question.prefill_from) if question.prefill_from else None
        if value is not None:
            values[question.id] = value.isoformat()
    return values


def _prefill(case: Case, instrument: Instrument) -> dict[str, Answer]:
    rows = {}
    for question_id, value in _face_sheet_values(case, instrument).items():
        rows[question_id] = Answer(case_id=case.id, question_id=question_id, value=value)
        db.session.add(rows[question_id])
    return rows


@case_added.connect
def add_case_items(case: Case, actor: User | None) -> None:
    """Give a new case its items to rate, the face sheet's answers from its facts, ratings."""
    instrument = get_instrument(case.period.instrument_version)
    reviews = {FACE_SHEET: ItemReview(case_id=case.id, item_id=FACE_SHEET)}
    db.session.add(reviews[FACE_SHEET])
    recalculate(case, instrument, _prefill(case, instrument), reviews)


@cases_imported.connect
def add_imported_items(period: ReviewPeriod, cases: list[Case]) -> None:
    """Give imported cases the rows a case added alone has, one bulk insert a table."""
    instrument = get_instrument(period.instrument_version)
    answers, reviews, outcomes, subitems = [], [], [], []
    ratings_of: dict[tuple, tuple[list, list, CaseRatings]] = {}
    for case in cases:
        values = _face_sheet_values(case, instrument)
        answers += [
            {"case_id": case.id, "question_id": question_id, "value": value}
            for question_id, value in values.items()
        ]
        # Cases with the same type and dates rate alike; the engine runs once for each.
        key = (case.case_type, tuple(sorted(values.items())))
        if key not in ratings_of:
            ratings = rate_case(instrument, case.case_type, values, {})
            ratings_of[key] = (
                [(FACE_SHEET, "incomplete")]
                + [(item_id, result.rating) for item_id, result in ratings.items.items()],
                list(ratings.outcomes.items()),
                ratings,
            )
        item_ratings, outcome_ratings, rated = ratings_of[key]
        subitems += subitem_rows(case.id, instrument, rated)
        reviews += [
            {"case_id": case.id, "item_id": item_id, "rating": rating}
            for item_id, rating in item_ratings
        ]
        outcomes += [
            {"case_id": case.id, "outcome_id": outcome_id, "rating": rating}
            for outcome_id, rating in outcome_ratings
        ]
    for model, rows in (
        (Answer, answers),
        (ItemReview, reviews),
        (OutcomeRating, outcomes),
        (SubitemRating, subitems),
    ):
        insert_rows(model, rows)


@case_facts_changed.connect
def follow_case_facts(case: Case, actor: User | None, before: dict) -> None:
    """Keep the face sheet and the ratings in step with a case's changed facts."""
    if before["child_birth_date"] != case.child_birth_date:
        _birth_to_face_sheet(actor, case)
    fields = ("child_sex", "child_races", "child_hispanic")
    if [_in_order(before[name]) for name in fields] != [
        _in_order(getattr(case, name)) for name in fields
    ]:
        _demographics_to_face_sheet(actor, case)
    if before["case_type"] != case.case_type:
        recalculate(
            case,
            get_instrument(case.period.instrument_version),
            queries.answers(case),
            queries.item_reviews(case),
        )


def _birth_to_face_sheet(actor: User | None, case: Case) -> None:
    """Write the case's new birth date into the face sheet's target child row, if there is one.

    The case's date is the one the app reads; the face sheet shows the same (ratings/dates.py).
    """
    row = queries.answers(case).get(CHILDREN)
    changed = with_target_birth(row.value, case.child_birth_date) if row else None
    if changed is None or row is None:
        return
    log_change(actor, case, FACE_SHEET, CHILDREN, row.value, changed, "Edited on the case")
    row.value = changed
    row.updated_by_id = actor.id if actor else None


def _demographics_to_face_sheet(actor: User | None, case: Case) -> None:
    """Write the case's demographics into the face sheet answers already given for them."""
    instrument = get_instrument(case.period.instrument_version)
    rows = queries.answers(case)
    for question_id, value in case_answers(case, instrument).items():
        row = rows.get(question_id)
        if row is None or _in_order(row.value) == _in_order(value):
            continue
        log_change(actor, case, FACE_SHEET, question_id, row.value, value, "Edited on the case")
        row.value = value
        row.updated_by_id = actor.id if actor else None


def _in_order(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value
