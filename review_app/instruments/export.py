"""The normalised form of an instrument, as plain data (for JSON)."""

from typing import Any

from review_app.instruments.model import Instrument
from review_app.instruments.schema import Condition, Question


def condition(cond: Condition | None) -> dict[str, Any] | None:
    if cond is None:
        return None
    return cond.model_dump(by_alias=True, exclude_none=True)


def question(instrument: Instrument, q: Question) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": q.id,
        "kind": q.kind,
        "text": q.text,
        "required": not q.optional,
        "show_when": condition(q.show_when),
        "narrative_on": q.narrative_answers,
    }
    if q.help:
        data["help"] = q.help
    if q.guidance:
        data["guidance"] = q.guidance
    if q.kind in ("choice", "multi"):
        data["choices"] = [c.model_dump() for c in instrument.choices(q)]
    if q.columns:
        data["columns"] = [c.model_dump(exclude_none=True) for c in q.columns]
    if q.forced:
        data["forced"] = {"when": condition(q.forced.when), "value": q.forced.value}
    if q.min is not None or q.max is not None:
        data["range"] = [q.min, q.max]
    return data


def normalised(instrument: Instrument) -> dict[str, Any]:
    """Return outcomes, items and questions with ids, kinds and conditions."""
    d = instrument.definition
    return {
        "version": d.version,
        "title": d.title,
        "case_types": d.case_types,
        "face_sheet": [question(instrument, q) for q in d.face_sheet],
        "outcomes": [
            {
                "id": o.id,
                "label": o.label,
                "statement": o.statement,
                "items": o.items,
                "rule": [c.model_dump(exclude_none=True) for c in o.rule],
                "source": o.source.model_dump() if o.source else None,
            }
            for o in d.outcomes
        ],
        "items": [
            {
                "id": item.id,
                "number": item.number,
                "title": item.title,
                "outcome": instrument.outcome_of(item.id).id,
                "applies_to": item.applies_to or list(d.case_types),
                "applicability": [question(instrument, q) for q in item.applicability],
                "applies_when": condition(item.applies_when),
                "questions": [question(instrument, q) for q in item.questions],
                "subitems": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "applies_to": s.applies_to,
                        "applies_when": condition(s.applies_when),
                        "questions": [question(instrument, q) for q in s.questions],
                        "rating": s.rating.model_dump(by_alias=True, exclude_none=True),
                    }
                    for s in item.subitems
                ],
                "rating": item.rating.model_dump(by_alias=True, exclude_none=True),
                "source": item.source.model_dump() if item.source else None,
                "purpose": item.purpose,
                "definitions": item.definitions,
            }
            for item in d.items
        ],
        "stakeholder_types": [t.model_dump() for t in d.stakeholder_types],
        "systemic_factors": [f.model_dump() for f in d.systemic_factors],
    }
