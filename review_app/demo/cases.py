"""Demo cases: both case types across local sites, some in pairs, a few partly rated."""

import random
from datetime import date, timedelta
from typing import Any
from zlib import crc32

from review_app.accounts.models import User
from review_app.cases.facts import CaseFacts
from review_app.cases.models import Case
from review_app.cases.operations import create_case
from review_app.cases.states import CaseStatus
from review_app.core.models import utcnow
from review_app.demo.answers import complete_answers
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import evaluate
from review_app.periods.models import ReviewPeriod
from review_app.qa.operations import reply, set_override, set_thread_open, start_thread, transition
from review_app.ratings import queries
from review_app.ratings.models import FACE_SHEET
from review_app.ratings.operations import ItemInput, item_questions, save_item, save_items

CHILDREN = ["A.B.", "C.D.", "E.F.", "G.H.", "J.K.", "L.M.", "N.P.", "Q.R."]

# Answers a reviewer might have given so far: the face sheet and the safety items.
PARTIAL_ANSWERS: dict[str, tuple[dict[str, Any], str]] = {
    FACE_SHEET: (
        {
            "FS-opened-other": "no",
            "FS-reasons": ["neglect", "parent_substance_use"],
        },
        "",
    ),
    "1": (
        {"1-app": "yes", "1A": 0, "1B": 1, "1C": "yes"},
        "One report had a late first visit because the family had moved out of state; the "
        "agency located them within two days.",
    ),
    "2": (
        {"2-app": "yes", "2A": "yes", "2B": "na"},
        "In-home services began the week the concern was reported.",
    ),
    "3": (
        {"3A": "yes", "3B": "no", "3C": "yes", "3D": "no", "3E": "no", "3F": "no"},
        "Ongoing assessments lapsed for four months before the case closed.",
    ),
}
NARRATIVES = {"3B": "No assessment was documented between March and July."}


# The demo children's races, sexes and ethnicities, cycled at different paces so that
# every breakdown row has cases and the combinations vary (codes of cfsr-round4.yaml).
RACES = [
    ["white"],
    ["black"],
    ["white"],
    ["black", "white"],
    ["american_indian"],
    ["white"],
    ["asian"],
    ["black"],
    ["pacific_islander"],
    ["american_indian", "white"],
    ["declined"],
    ["white"],
    ["unknown"],
]
SEXES = ["female", "male", "male", "female", "female", "male", "unknown", "male", "female", ""]
ETHNICITIES = ["no", "yes", "no", "no", "unknown", "yes", "no", "declined"]


def case_facts(period: ReviewPeriod, index: int, reviewers: list[User]) -> CaseFacts:
    case_type = "foster_care" if index % 3 != 2 else "in_home"
    locals_ = period.local_sites
    prefix = "FC" if case_type == "foster_care" else "IH"
    opened = date(2025, 1 + index % 12, 3)
    return CaseFacts(
        case_number=f"{prefix}-{period.site.kind.upper()}-{101 + index}",
        case_type=case_type,
        local_site=locals_[index % len(locals_)],
        child_name=CHILDREN[index % len(CHILDREN)],
        child_birth_date=date(2010 + index % 12, 1 + index % 12, 1 + index % 27),
        family_name=f"Family {CHILDREN[index % len(CHILDREN)]}",
        opened_on=opened,
        removal_on=opened + timedelta(days=index % 40) if case_type == "foster_care" else None,
        pur_start=date(2026, 4, 1) if period.pur_start is None else None,
        reviewers=reviewers,
        child_sex=SEXES[index % len(SEXES)],
        child_races=RACES[index % len(RACES)],
        child_hispanic=ETHNICITIES[index % len(ETHNICITIES)],
    )


def face_sheet_facts(case: Case | CaseFacts, answers: dict) -> dict:
    """Return ``answers`` with the face sheet's dates and target child taken from the case.

    A date the case lacks keeps its generated answer. A foster care case opened in an
    odd month has its child back home 150 days after removal.
    """
    discharge = (
        case.removal_on + timedelta(days=150)
        if case.removal_on and case.opened_on and case.opened_on.month % 2
        else None
    )
    birth = _iso(case.child_birth_date) or "2015-06-15"
    return {
        **answers,
        "FS-opened-date": _iso(case.opened_on) or answers.get("FS-opened-date"),
        "FS-removal-date": _iso(case.removal_on),
        "FS-discharge-date": _iso(discharge),
        "FS-closure-date": _iso(case.closed_on),
        "FS-children": [
            {"target": "yes", "initials": case.child_name, "birth_date": birth, "interviewed": "no"}
        ],
        # Saving the face sheet sets the case's demographics from these (ratings/demographics.py).
        "FS-child-sex": case.child_sex or None,
        "FS-child-race": sorted(case.child_races) or None,
        "FS-child-hispanic": case.child_hispanic or None,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def rate_partly(actor: User, case: Case) -> None:
    """Answer the face sheet and the safety items of a case, as a reviewer would."""
    instrument = get_instrument(case.period.instrument_version)
    for item_id, (answers, rationale) in PARTIAL_ANSWERS.items():
        if item_id != FACE_SHEET and item_id not in instrument.items:
            continue
        review = queries.item_reviews(case)[item_id]
        shown = {q.id for q in item_questions(instrument, item_id)}
        stored = queries.answer_values(queries.answers(case))
        if item_id == FACE_SHEET:
            answers = face_sheet_facts(case, answers)
        narratives = {q: text for q, text in NARRATIVES.items() if q in shown}
        save_item(
            actor,
            case,
            instrument,
            item_id,
            ItemInput({**stored, **answers}, shown, narratives, rationale, review.lock_version),
        )


def rate_fully(
    actor: User | None, case: Case, seed: int, no_rate: float = 0.12, skip_rationale: str = ""
) -> None:
    """Answer every question of a case, with narratives and rationales.

    About ``no_rate`` of the yes/no answers are the unfavourable one (0: none);
    ``skip_rationale`` names an item left without its rationale.
    """
    instrument = get_instrument(case.period.instrument_version)
    answers = complete_answers(instrument, case.case_type, seed, no_rate)
    rate_with(actor, case, answers, skip_rationale=skip_rationale)


def rate_with(
    actor: User | None, case: Case, answers: dict, rationale: str = "", skip_rationale: str = ""
) -> None:
    """Save every item of a case from ``answers``, with narratives and rationales.

    ``skip_rationale`` names an item left without its rationale.
    """
    instrument = get_instrument(case.period.instrument_version)
    answers = face_sheet_facts(case, answers)
    effective = evaluate(instrument, case.case_type, answers).answers
    rationale = rationale or "Rated from the case file and interviews."
    reviews = queries.item_reviews(case)
    sent = {}
    for item_id in [FACE_SHEET, *instrument.items]:
        questions = item_questions(instrument, item_id)
        narratives = {
            q.id: "Explained in the case file and the caseworker interview."
            for q in questions
            if effective.get(q.id) in q.narrative_answers
        }
        sent[item_id] = ItemInput(
            {q.id: answers.get(q.id) for q in questions},
            {q.id for q in questions},
            narratives,
            "" if item_id == skip_rationale else rationale,
            reviews[item_id].lock_version,
        )
    save_items(actor, case, instrument, sent)


# Where each demo case of a period ends up, by its position in the period: a status,
# or on the way to one ("partly" rated in progress, "qa_override" in QA with an override).
STAGES: list[str] = [
    CaseStatus.IN_PROGRESS,
    "partly",
    CaseStatus.SUBMITTED,
    CaseStatus.QA1,
    CaseStatus.RETURNED,
    "qa_override",
    CaseStatus.FINALIZED,
    CaseStatus.ELIMINATED,
]


def advance(case: Case, stage: str, people: dict[str, User], seed: int) -> None:
    """Take a case to a stage of the workflow through the real operations."""
    reviewer = case.reviewers[0]
    if stage == "partly":
        rate_partly(reviewer, case)
    if stage in (CaseStatus.IN_PROGRESS, "partly"):
        return
    if stage == CaseStatus.ELIMINATED:
        transition(
            people["admin"],
            case,
            "eliminate",
            reason_code="unavailable",
            reason="The family declined every interview.",
        )
        return
    # Reviewers differ: between 4% and 20% of their yes/no answers are unfavourable.
    rate_fully(reviewer, case, seed, no_rate=0.04 + (seed % 5) * 0.04)
    transition(reviewer, case, "submit")
    if stage == CaseStatus.SUBMITTED:
        return
    qa = people["qa"]
    transition(qa, case, "take")
    first = start_thread(qa, case, "3", "3B", "Which assessment from the spring is this based on?")
    reply(reviewer, case, first, "The April safety assessment; it is now in the narrative.")
    set_thread_open(qa, case, first, False)
    if stage == CaseStatus.QA1:
        start_thread(qa, case, "14", None, "Please say how often the visits happened in summer.")
        return
    if stage == CaseStatus.RETURNED:
        start_thread(qa, case, "12", None, "12B needs the father's services described.")
        transition(qa, case, "return", reason="Item 12 needs more detail about the father.")
        return
    holder = qa
    if case.period.site.settings.qa_levels == 2:
        transition(qa, case, "to_level2")
        holder = people["qa2"]
    if stage == "qa_override" or seed % 3 == 0:  # QA corrects about one case in three
        _override_one(holder, case, seed)
    if stage == CaseStatus.FINALIZED:
        transition(holder, case, "finalize")


def _override_one(actor: User, case: Case, seed: int) -> None:
    """Override one rated item (which one varies), as QA corrects a rating with a reason."""
    reviews = queries.item_reviews(case)
    rated = sorted(i for i, review in reviews.items() if review.rating in ("strength", "ani"))
    if not rated:
        return
    item_id = random.Random(seed).choice(rated)
    flipped = "ani" if reviews[item_id].rating == "strength" else "strength"
    set_override(
        actor,
        case,
        item_id,
        flipped,
        "The interviews contradict the file on this point; rated on the interviews.",
    )


# How long the demo's submitted cases have waited in the QA queue (past the reminder).
WAITING_DAYS = 10


def seed_cases(period: ReviewPeriod, people: dict[str, User], count: int = 8) -> None:
    """Add ``count`` cases to the period, spread over the workflow's stages."""
    reviewer, reviewer2 = people["reviewer"], people["reviewer2"]
    pairs = [[reviewer], [reviewer, reviewer2], [reviewer2], [reviewer, reviewer2]]
    for index in range(count):
        case = create_case(None, period, case_facts(period, index, pairs[index % len(pairs)]))
        stage = STAGES[index % len(STAGES)]
        advance(case, stage, people, seed=period.id * 100 + index)
        if stage == CaseStatus.SUBMITTED:
            # Submitted a week and a half ago and not yet taken: the daily run reminds QA.
            case.status_changed_at = utcnow() - timedelta(days=WAITING_DAYS)


def finalized_facts(
    period: ReviewPeriod, people: dict[str, User], index: int
) -> tuple[CaseFacts, int]:
    """Return the facts of a report-volume case (numbered after the staged ones) and its seed.

    The seed comes from the period's name and site, not its id: ids depend on what a
    database held before (PostgreSQL never hands a sequence's numbers out again), and
    the demo must be the same data wherever it is seeded.
    """
    reviewer, reviewer2 = people["reviewer"], people["reviewer2"]
    pairs = [[reviewer], [reviewer, reviewer2], [reviewer2]]
    place = f"{period.site.jurisdiction.code}:{period.site.kind}:{period.name}"
    return case_facts(period, index, pairs[index % len(pairs)]), crc32(place.encode()) + index
