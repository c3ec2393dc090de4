"""The demo's report volume: many finalized cases written in bulk, rated by the real engine.

Through the real operations each of these cases took about 150 ms (nineteen
item saves, each locking, rating and auditing, then four transitions); the
workflow is not what they show, their ratings are. Here every case's answers
are made and rated in memory by the same engine the pages use
(``instruments.engine.rate_case``), QA overrides about one case in three as
``demo.cases.advance`` does, and each table gets one bulk insert
(review_app/core/bulk.py). Each case gets one audit entry through
``audit.operations.record``, so the audit log's hash chain covers them.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.cases.facts import CaseFacts
from review_app.cases.models import Assignment, Case, CaseRace
from review_app.cases.states import CaseStatus
from review_app.core.bulk import insert_rows
from review_app.core.models import utcnow
from review_app.demo.answers import complete_answers
from review_app.demo.cases import face_sheet_facts, finalized_facts
from review_app.extensions import db
from review_app.instruments.answers import parse
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import ANI, STRENGTH, evaluate, rate_case
from review_app.instruments.model import Instrument
from review_app.periods.models import ReviewPeriod
from review_app.ratings.models import (
    FACE_SHEET,
    Answer,
    ItemReview,
    OutcomeRating,
    RatingChange,
    SubitemRating,
    SubmittedRating,
)
from review_app.ratings.operations import item_questions, subitem_rows

RATIONALE = "Rated from the case file and interviews."
NARRATIVE = "Explained in the case file and the caseworker interview."
OVERRIDE_REASON = "The interviews contradict the file on this point; rated on the interviews."


@dataclass
class Planned:
    """A finalized case to add: its facts, the seed of its answers, when it was finalized."""

    facts: CaseFacts
    seed: int
    finalized_at: datetime
    no_rates: dict[str, float] = field(default_factory=dict)  # per question, see complete_answers


def seed_finalized_bulk(period: ReviewPeriod, people: dict[str, User], count: int) -> int:
    """Add ``count`` finalized cases with varied ratings; return how many were added."""
    now = utcnow()
    planned = [
        Planned(facts, seed, now)
        for facts, seed in (
            finalized_facts(period, people, index) for index in range(100, 100 + count)
        )
    ]
    return add_finalized(period, people, planned)


def add_finalized(period: ReviewPeriod, people: dict[str, User], planned: list[Planned]) -> int:
    """Add the planned finalized cases, answered and rated by the engine; return how many."""
    if not planned:
        return 0
    instrument = get_instrument(period.instrument_version)
    two_levels = period.site.settings.qa_levels == 2
    holder = people["qa2"] if two_levels else people["qa"]
    may_override = period.site.settings.allow_qa_override
    insert_rows(Case, [_case_row(period, plan, two_levels) for plan in planned])
    numbers = [plan.facts.case_number for plan in planned]
    by_number = {
        case.case_number: case
        for case in db.session.scalars(
            select(Case).where(Case.period_id == period.id, Case.case_number.in_(numbers))
        )
    }
    rows: dict[type, list[dict]] = {
        model: []
        for model in (
            Assignment,
            CaseRace,
            Answer,
            ItemReview,
            OutcomeRating,
            SubitemRating,
            SubmittedRating,
            RatingChange,
        )
    }
    for plan in planned:
        facts, seed = plan.facts, plan.seed
        case = by_number[facts.case_number]
        reviewer = facts.reviewers[0]
        rows[Assignment] += [{"case_id": case.id, "user_id": u.id} for u in facts.reviewers]
        rows[CaseRace] += [{"case_id": case.id, "race": race} for race in facts.child_races]
        no_rate = 0.04 + (seed % 5) * 0.04
        answers = face_sheet_facts(
            facts, complete_answers(instrument, facts.case_type, seed, no_rate, plan.no_rates)
        )
        rows[Answer] += _answer_rows(instrument, case, answers, reviewer)
        calculated = rate_case(instrument, case.case_type, answers, {})
        overrides = _override(calculated, seed) if may_override and seed % 3 == 0 else {}
        final = (
            rate_case(instrument, case.case_type, answers, overrides) if overrides else calculated
        )
        rows[ItemReview].append(
            {
                "case_id": case.id,
                "item_id": FACE_SHEET,
                "lock_version": 1,
                "updated_by_id": reviewer.id,
            }
        )
        for item_id, result in calculated.items.items():
            review = {
                "case_id": case.id,
                "item_id": item_id,
                "rating": result.rating,
                "rationale": RATIONALE,
                "lock_version": 1,
                "updated_by_id": reviewer.id,
            }
            if item_id in overrides:
                review |= {
                    "override_rating": overrides[item_id],
                    "override_reason": OVERRIDE_REASON,
                    "override_by_id": holder.id,
                    "override_at": plan.finalized_at,
                }
                rows[RatingChange].append(
                    {
                        "case_id": case.id,
                        "item_id": item_id,
                        "field": "override",
                        "after": overrides[item_id],
                        "actor_id": holder.id,
                        "actor_name": holder.username,
                        "case_status": CaseStatus.at_qa_level(2 if two_levels else 1),
                        "reason": OVERRIDE_REASON,
                    }
                )
            rows[ItemReview].append(review)
            rows[SubmittedRating].append(
                {
                    "case_id": case.id,
                    "item_id": item_id,
                    "rating": result.rating,
                    "submitted_by_id": reviewer.id,
                }
            )
        rows[SubitemRating] += subitem_rows(case.id, instrument, calculated)
        rows[OutcomeRating] += [
            {"case_id": case.id, "outcome_id": outcome_id, "rating": rating}
            for outcome_id, rating in final.outcomes.items()
        ]
    for model, model_rows in rows.items():
        insert_rows(model, model_rows)
    for plan in planned:
        facts = plan.facts
        case = by_number[facts.case_number]
        record(
            holder,
            "case.finalize",
            case,
            f"Case {case.case_number}: added finalized to the demo, rated in bulk",
            site=period.site,
            after=case.audit_fields(facts.local_site, facts.reviewers, facts.child_races),
        )
    return len(planned)


def _case_row(period: ReviewPeriod, plan: Planned, two_levels: bool) -> dict:
    facts, now = plan.facts, plan.finalized_at
    assert facts.local_site is not None  # the demo's cases all have one
    return {
        "site_id": period.site_id,
        "period_id": period.id,
        "local_site_id": facts.local_site.id,
        "case_number": facts.case_number,
        "case_type": facts.case_type,
        "child_name": facts.child_name,
        "child_birth_date": facts.child_birth_date,
        "child_sex": facts.child_sex,
        "child_hispanic": facts.child_hispanic,
        "family_name": facts.family_name,
        "opened_on": facts.opened_on,
        "removal_on": facts.removal_on,
        "closed_on": facts.closed_on,
        "pur_start": facts.pur_start if period.pur_start is None else None,
        "status": CaseStatus.FINALIZED,
        # submit, take, (to level 2,) finalize: as many status changes as the workflow makes
        "status_version": 4 if two_levels else 3,
        "status_changed_at": now,
        "submitted_at": now,
        "finalized_at": now,
    }


def _answer_rows(instrument: Instrument, case: Case, answers: dict, reviewer: User) -> list[dict]:
    """Return the answer rows the item pages would store for ``answers``."""
    effective = evaluate(instrument, case.case_type, answers).answers
    found = []
    for item_id in [FACE_SHEET, *instrument.items]:
        for question in item_questions(instrument, item_id):
            value = parse(instrument, question, answers.get(question.id))
            if value is None:
                continue
            narrative = (
                NARRATIVE if effective.get(question.id) in question.narrative_answers else ""
            )
            found.append(
                {
                    "case_id": case.id,
                    "question_id": question.id,
                    "value": value,
                    "narrative": narrative,
                    "updated_by_id": reviewer.id,
                }
            )
    return found


def _override(ratings, seed: int) -> dict[str, str]:
    """Turn one rated item around (which one varies), as QA corrects a rating."""
    rated = sorted(i for i, r in ratings.items.items() if r.rating in (STRENGTH, ANI))
    if not rated:
        return {}
    item_id = random.Random(seed).choice(rated)
    return {item_id: ANI if ratings.items[item_id].rating == STRENGTH else STRENGTH}
