"""Cases, ratings and figures as plain JSON-ready dictionaries."""

from review_app.cases.models import Case
from review_app.instruments.model import Instrument
from review_app.performance.queries import Figure, Performance, Split
from review_app.periods.models import ReviewPeriod


def _day(value) -> str | None:
    return value.isoformat() if value else None


def period(p: ReviewPeriod) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "pur_start": _day(p.pur_start),
        "pur_end": _day(p.pur_end),
        "instrument_version": p.instrument_version,
        "is_open": p.is_open,
    }


def case_summary(case: Case) -> dict:
    return {
        "id": case.id,
        "case_number": case.case_number,
        "case_type": case.case_type,
        "period_id": case.period_id,
        "local_site": {"code": case.local_site.code, "name": case.local_site.name},
        "status": case.status,
        "reviewers": [user.username for user in case.reviewers],
        "submitted_at": _day(case.submitted_at),
        "finalized_at": _day(case.finalized_at),
    }


def case_detail(case: Case, instrument: Instrument, reviews: dict, outcomes: dict) -> dict:
    items = []
    for item in instrument.items.values():
        review = reviews.get(item.id)
        items.append(
            {
                "item": item.number,
                "id": item.id,
                "title": item.title,
                "rating": review.effective_rating if review else "incomplete",
                "calculated_rating": review.rating if review else "incomplete",
                "override": (
                    {
                        "rating": review.override_rating,
                        "reason": review.override_reason,
                        "at": _day(review.override_at),
                    }
                    if review and review.override_rating
                    else None
                ),
                "rationale": review.rationale if review else "",
            }
        )
    return {
        **case_summary(case),
        "pur_start": _day(case.effective_pur_start),
        "elimination_reason": case.elimination_reason,
        "items": items,
        "outcomes": [
            {
                "id": outcome.id,
                "label": outcome.label,
                "rating": outcomes[outcome.id].rating if outcome.id in outcomes else "incomplete",
            }
            for outcome in instrument.definition.outcomes
        ],
    }


def _figure(figure: Figure) -> dict:
    return {"applicable": figure.applicable, "count": figure.hits, "percent": figure.percent}


def _split(split: Split) -> dict:
    return {
        "all": _figure(split.overall),
        **{kind: _figure(figure) for kind, figure in split.by_type.items()},
    }


def performance(figures: Performance, instrument: Instrument, conformity: float) -> dict:
    return {
        "cases": figures.cases,
        "cases_by_type": figures.by_type,
        "conformity_percent": conformity,
        "outcomes": [
            {
                "id": o.id,
                "label": o.label,
                "substantially_achieved": _split(figures.outcomes.get(o.id, Split())),
            }
            for o in instrument.definition.outcomes
        ],
        "items": [
            {
                "item": item.number,
                "id": item.id,
                "title": item.title,
                "strength": _split(figures.items.get(item.id, Split())),
            }
            for item in instrument.items.values()
        ],
    }
