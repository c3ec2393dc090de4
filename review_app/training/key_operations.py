"""Every change to answer keys: making, filling, explaining, publishing and withdrawing them."""

from collections.abc import Callable

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.core.errors import OperationError, refuse_long_texts
from review_app.core.locking import lock_row
from review_app.core.models import utcnow
from review_app.core.roles import roles_of
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.periods.operations import hold_open
from review_app.ratings import queries as rating_queries
from review_app.ratings.completeness import gaps
from review_app.ratings.operations import ItemInput, item_questions, save_items
from review_app.sites.models import Site
from review_app.training.importing import MAX_EXPLANATION, read_key_rows
from review_app.training.models import KeyExplanation
from review_app.training.operations import practice_site, set_status

SHOWN_GAPS = 5  # missing things named in a refusal to publish; the key page lists them all


class KeyIncomplete(OperationError):
    """An answer key still lacks answers, narratives or rationales."""

    def __init__(self, missing: list):
        named = "; ".join(gap.message for gap in missing[:SHOWN_GAPS])
        more = f"; and {len(missing) - SHOWN_GAPS} more" if len(missing) > SHOWN_GAPS else ""
        super().__init__(
            f"The answer key cannot be published: {len(missing)} thing(s) are missing: "
            f"{named}{more}. Every item must be rated, with its narratives and rationale."
        )
        self.missing = missing


def _check_admin(actor: User, site: Site) -> None:
    if not roles_of(actor, site).is_state_admin:
        raise OperationError("Only the site's state administrators manage answer keys.")


def _key_site(actor: User, key: Case) -> Site:
    """Return the key's site, refusing a case that is no key and anyone but the site's admins."""
    site = practice_site(key)
    _check_admin(actor, site)
    lock_row(key)  # publish, withdraw and edits of one key happen one after another
    if not key.is_key:
        raise OperationError(f"Case {key.case_number} is not an answer key.")
    return site


def make_key(actor: User, case: Case) -> None:
    """Turn a practice case into an answer key draft; its reviewers are taken off it."""
    site = practice_site(case)
    _check_admin(actor, site)
    lock_row(case)
    if case.key_case_id is not None:
        raise OperationError("A trainee's practice copy cannot become an answer key.")
    if case.is_key:
        raise OperationError(f"Case {case.case_number} is already an answer key.")
    if case.status == CaseStatus.ELIMINATED:
        raise OperationError("An eliminated case cannot become an answer key.")
    hold_open(case.period, "The review period is closed: reopen it to prepare keys in it.")
    before = {
        "status": case.status,
        "reviewers": sorted(user.username for user in case.reviewers),
        "is_key": False,
    }
    # Trainees must never read a key's answers, so nobody stays assigned to it.
    case.assignments = []
    case.is_key, case.key_published_at = True, None
    if case.status != CaseStatus.IN_PROGRESS:
        set_status(case, CaseStatus.IN_PROGRESS)
    record(
        actor,
        "training.make_key",
        case,
        f"Case {case.case_number} made an answer key (draft)",
        site=site,
        before=before,
        after={"status": case.status, "reviewers": [], "is_key": True},
    )


def publish_key(actor: User, key: Case) -> None:
    """Publish a complete answer key; it is locked until withdrawn."""
    site = _key_site(actor, key)
    if not key.is_key_draft:
        raise OperationError("This answer key is already published.")
    instrument = get_instrument(key.period.instrument_version)
    ratings, rows, reviews = rating_queries.case_ratings(key, instrument)
    missing = gaps(instrument, ratings, rows, reviews)
    if missing:
        raise KeyIncomplete(missing)
    _set_published(actor, key, site, True, f"Answer key {key.case_number} published")


def withdraw_key(actor: User, key: Case) -> None:
    """Take a published key back to a draft to change it; scores already given are kept."""
    site = _key_site(actor, key)
    if key.is_key_draft:
        raise OperationError("This answer key is a draft already.")
    hold_open(key.period, "The review period is closed: reopen it to change the key.")
    _set_published(
        actor,
        key,
        site,
        False,
        f"Answer key {key.case_number} withdrawn to edit; past scores are kept",
    )


def _set_published(actor: User, key: Case, site: Site, is_published: bool, summary: str) -> None:
    """Publish the key (locked as finalized) or take it back to a draft, and record it."""
    set_status(key, CaseStatus.FINALIZED if is_published else CaseStatus.IN_PROGRESS)
    key.finalized_at = key.key_published_at = utcnow() if is_published else None
    record(
        actor,
        "training.publish_key" if is_published else "training.withdraw_key",
        key,
        summary,
        site=site,
        before={
            "status": CaseStatus.IN_PROGRESS if is_published else CaseStatus.FINALIZED,
            "published": not is_published,
        },
        after={"status": key.status, "published": is_published},
    )


def save_explanations(actor: User, key: Case, item_id: str, texts: dict[str, str]) -> None:
    """Set the explanations of an item ('' key) and its questions; an empty text removes one."""
    site = _key_site(actor, key)
    instrument = get_instrument(key.period.instrument_version)
    if item_id not in instrument.items:
        raise OperationError("Unknown item.")
    allowed = {"", *(q.id for q in item_questions(instrument, item_id))}
    clean = {qid: text.strip() for qid, text in texts.items() if qid in allowed}
    refuse_long_texts(clean, MAX_EXPLANATION, "explanation(s) are")
    before, after = _set_explanations(actor, key, item_id, clean)
    if before != after:
        record(
            actor,
            "training.explain",
            key,
            f"Explanations of item {instrument.items[item_id].number} of key {key.case_number}",
            site=site,
            before=before,
            after=after,
        )


def _set_explanations(
    actor: User, key: Case, item_id: str, texts: dict[str, str]
) -> tuple[dict, dict]:
    stored = {
        row.question_id: row
        for row in db.session.scalars(
            select(KeyExplanation).where(
                KeyExplanation.case_id == key.id, KeyExplanation.item_id == item_id
            )
        )
    }
    before, after = {}, {}
    for question_id, text in texts.items():
        row = stored.get(question_id)
        old = row.text if row else ""
        if old == text:
            continue
        label = question_id or "item"
        before[label], after[label] = old, text
        if not text:
            db.session.delete(row)
        elif row is None:
            db.session.add(
                KeyExplanation(
                    case_id=key.id,
                    item_id=item_id,
                    question_id=question_id,
                    text=text,
                    updated_by_id=actor.id,
                )
            )
        else:
            row.text, row.updated_by_id = text, actor.id
    return before, after


def check_importable(actor: User, key: Case) -> Site:
    """Refuse an import into anything but a draft key of a site ``actor`` administers."""
    site = _key_site(actor, key)
    if not key.is_key_draft:
        raise OperationError("Withdraw the published key before importing answers into it.")
    return site


def import_key(
    actor: User,
    key: Case,
    data: bytes,
    filename: str = "key.csv",
    rows_read: Callable[[int], None] | None = None,
    rows_checked: Callable[[int], None] | None = None,
) -> tuple[int, list[str]]:
    """Set a draft key's answers, narratives, rationales and explanations from CSV, or none.

    Return the number of rows imported and the bad rows (empty on success). Run by
    the import job (training/import_job.py); ``rows_read`` is told how many rows the
    file holds, ``rows_checked`` how many more were checked, for its progress.
    """
    site = check_importable(actor, key)
    instrument = get_instrument(key.period.instrument_version)
    rows, errors = read_key_rows(instrument, data, filename, rows_read, rows_checked)
    if errors:
        return 0, errors
    by_item: dict[str, list] = {}
    for row in rows:
        by_item.setdefault(row.item_id, []).append(row)
    # Read once: each item's save touches only that item's questions and review.
    stored, reviews = rating_queries.answers(key), rating_queries.item_reviews(key)
    save_items(
        actor,
        key,
        instrument,
        {
            item_id: _item_input(item_id, item_rows, stored, reviews)
            for item_id, item_rows in by_item.items()
        },
    )
    for item_id, item_rows in by_item.items():
        texts = {row.question_id or "": row.explanation for row in item_rows if row.explanation}
        if texts:
            _set_explanations(actor, key, item_id, texts)
    record(
        actor,
        "training.import_key",
        key,
        f"Imported {len(rows)} row(s) into answer key {key.case_number}",
        site=site,
        after={"rows": len(rows), "items": sorted(by_item)},
    )
    return len(rows), []


def _item_input(item_id: str, rows: list, stored: dict, reviews: dict) -> ItemInput:
    """What the rows of one item send, over the key's stored answers."""
    answers = {qid: row.value for qid, row in stored.items()}
    narratives = {qid: row.narrative for qid, row in stored.items()}
    shown, rationale = set(), reviews[item_id].rationale if item_id in reviews else ""
    for row in rows:
        if row.question_id is None:
            rationale = row.rationale if row.rationale is not None else rationale
            continue
        if row.has_answer:
            answers[row.question_id] = row.value
        if row.narrative is not None:
            narratives[row.question_id] = row.narrative
        if row.has_answer or row.narrative is not None:
            shown.add(row.question_id)
    return ItemInput(answers, shown, narratives, rationale, reviews[item_id].lock_version)
