"""Demo cases: both case types across local sites, some in pairs, a few partly rated."""

from datetime import date

from review_app.accounts.models import User
from review_app.cases.facts import CaseFacts
from review_app.cases.models import Case
from review_app.cases.operations import create_case
from review_app.instruments.catalog import get_instrument
from review_app.periods.models import ReviewPeriod
from review_app.ratings import queries
from review_app.ratings.models import FACE_SHEET
from review_app.ratings.operations import ItemInput, item_questions, save_item

CHILDREN = ["A.B.", "C.D.", "E.F.", "G.H.", "J.K.", "L.M.", "N.P.", "Q.R."]

# Answers a reviewer might have given so far: the face sheet and the safety items.
PARTIAL_ANSWERS = {
    FACE_SHEET: (
        {
            "FS-opened-other": "no",
            "FS-reasons": ["neglect", "parent_substance_use"],
            "FS-children": [
                {
                    "target": "yes",
                    "initials": "A.B.",
                    "birth_date": "2016-05-04",
                    "interviewed": "no",
                }
            ],
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
        {"3A": "yes", "3B": "no", "3C": "yes", "3D": "no", "3E": "na", "3F": "na"},
        "Ongoing assessments lapsed for four months before the case closed.",
    ),
}
NARRATIVES = {"3B": "No assessment was documented between March and July."}


def _facts(period: ReviewPeriod, index: int, reviewers: list[User]) -> CaseFacts:
    case_type = "foster_care" if index % 3 != 2 else "in_home"
    locals_ = period.local_sites
    prefix = "FC" if case_type == "foster_care" else "IH"
    return CaseFacts(
        case_number=f"{prefix}-{period.site.kind.upper()}-{101 + index}",
        case_type=case_type,
        local_site=locals_[index % len(locals_)],
        child_name=CHILDREN[index % len(CHILDREN)],
        child_birth_date=date(2010 + index % 12, 1 + index % 12, 1 + index % 27),
        family_name=f"Family {CHILDREN[index % len(CHILDREN)]}",
        opened_on=date(2025, 1 + index % 12, 3),
        removal_on=date(2025, 2 + index % 10, 9) if case_type == "foster_care" else None,
        pur_start=date(2026, 4, 1) if period.pur_start is None else None,
        reviewers=reviewers,
    )


def rate_partly(actor: User, case: Case) -> None:
    """Answer the face sheet and the safety items of a case, as a reviewer would."""
    instrument = get_instrument(case.period.instrument_version)
    for item_id, (answers, rationale) in PARTIAL_ANSWERS.items():
        if item_id != FACE_SHEET and item_id not in instrument.items:
            continue
        review = queries.item_reviews(case)[item_id]
        shown = {q.id for q in item_questions(instrument, item_id)}
        stored = queries.answer_values(queries.answers(case))
        narratives = {q: text for q, text in NARRATIVES.items() if q in shown}
        save_item(
            actor,
            case,
            instrument,
            item_id,
            ItemInput({**stored, **answers}, shown, narratives, rationale, review.lock_version),
        )


def seed_cases(period: ReviewPeriod, reviewer: User, reviewer2: User, count: int = 8) -> None:
    """Add ``count`` cases to the period; rate two of them partly."""
    pairs = [[reviewer], [reviewer, reviewer2], [reviewer2], [reviewer, reviewer2]]
    for index in range(count):
        case = create_case(None, period, _facts(period, index, pairs[index % len(pairs)]))
        if index in (1, 4):
            rate_partly(case.reviewers[0], case)
