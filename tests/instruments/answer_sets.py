"""Answer sets for the rating tests: one complete "all good" set, varied per test.

GOOD answers every question of the instrument so that each applicable item is a
Strength, for either case type (answers to questions that are not asked are
ignored by the engine, so one set serves both).
"""

from review_app.config import PROJECT_ROOT
from review_app.instruments.engine import rate_case
from review_app.instruments.loader import load

INSTRUMENT = load(PROJECT_ROOT / "instruments/cfsr-round4.yaml")
FC, IH = "foster_care", "in_home"

GOOD = {
    # Safety
    "1-app": "yes",
    "1A": 0,
    "1B": 0,
    "2-app": "yes",
    "2A": "yes",
    "2B": "na",
    "3A": "yes",
    "3B": "yes",
    "3C": "yes",
    "3D": "no",
    "3E": "no",
    "3F": "no",
    # Permanency 1
    "4-placements": [{"start": "2024-01-10", "setting": "foster_home"}],
    "4A": 1,
    "4C": "yes",
    "5-app-60": "yes",
    "5A": "yes",
    "5B": "yes",
    "5C": "yes",
    "5D": "no",
    "5E": "no",
    "6A1": ["reunification"],
    "6A2": 8,
    "6B": "yes",
    # Permanency 2
    "7-app": "yes",
    "7A": "yes",
    "8-app-mother": "yes",
    "8-app-father": "yes",
    "8-app-siblings": "no",
    "8A1": "weekly",
    "8A2": "yes",
    "8A3": "yes",
    "8B1": "monthly",
    "8B2": "yes",
    "8B3": "yes",
    "9A": "yes",
    "9B": "yes",
    "9C": "na",
    "9D": "na",
    "10-app": "yes",
    "10A1": "yes",
    "10A2": "yes",
    "11-app-mother": "yes",
    "11-app-father": "yes",
    "11A": "yes",
    "11B": "yes",
    # Well-being
    "12-app-mother": "yes",
    "12-app-father": "yes",
    "12-app-foster": "yes",
    "12A1": "yes",
    "12A2": "yes",
    "12B1": "yes",
    "12B2": "yes",
    "12B3": "yes",
    "12B4": "na",
    "12C1": "yes",
    "12C2": "yes",
    "13-app-child": "yes",
    "13-app-mother": "yes",
    "13-app-father": "yes",
    "13A": "yes",
    "13B": "yes",
    "13C": "yes",
    "14-freq": "monthly",
    "14A": "yes",
    "14B": "yes",
    "15-app-mother": "yes",
    "15-app-father": "yes",
    "15A1": "monthly",
    "15A2": "yes",
    "15A3": "yes",
    "15B1": "monthly",
    "15B2": "yes",
    "15B3": "yes",
    "16-app-fc": "yes",
    "16-app-ih": "yes",
    "16A": "yes",
    "16B": "yes",
    "17-app": "yes",
    "17A1": "yes",
    "17A2": "yes",
    "17B1": "na",
    "17B2": "yes",
    "17B3": "yes",
    "18-app": "yes",
    "18A": "yes",
    "18B": "na",
    "18C": "yes",
}

# Changes that make one item (foster care case) an ANI, Not Applicable or Incomplete.
TO_ANI = {
    "1": {"1A": 1, "1C": "no"},
    "2": {"2A": "no", "2B": "no"},
    "3": {"3A": "no"},
    "4": {"4C": "no"},
    "5": {"5A": "no"},
    "6": {"6B": "no"},
    "7": {"7A": "no", "7B": "no"},
    "8": {"8A2": "no"},
    "9": {"9A": "no"},
    "10": {"10A1": "no", "10B": "no", "10C": "yes"},
    "11": {"11A": "no"},
    "12": {"12A1": "no"},
    "13": {"13A": "no"},
    "14": {"14A": "no"},
    "15": {"15A2": "no"},
    "16": {"16A": "no"},
    "17": {"17A1": "no"},
    "18": {"18A": "no"},
}
TO_NA = {  # items 3, 4, 6, 9, 12 and 14 (and 17 in foster care) always apply
    "1": {"1-app": "no"},
    "2": {"2-app": "no"},
    "5": {"5-app-60": "no", "5-app-goal": "no"},
    "7": {"7-app": "no"},
    "8": {"8-app-mother": "no", "8-app-father": "no"},
    "10": {"10-app": "no"},
    "11": {"11-app-mother": "no", "11-app-father": "no"},
    "13": {"13-app-child": "no", "13-app-mother": "no", "13-app-father": "no"},
    "15": {"15-app-mother": "no", "15-app-father": "no"},
    "16": {"16-app-fc": "no"},
    "17": {"17-app": "no"},
    "18": {"18-app": "no"},
}
TO_INCOMPLETE = {
    item: {question: None}
    for item, question in {
        "1": "1B",
        "2": "2A",
        "3": "3F",
        "4": "4A",
        "5": "5C",
        "6": "6A2",
        "7": "7A",
        "8": "8B3",
        "9": "9D",
        "10": "10A2",
        "11": "11B",
        "12": "12C1",
        "13": "13B",
        "14": "14B",
        "15": "15B1",
        "16": "16B",
        "17": "17B3",
        "18": "18C",
    }.items()
}


def answers(changes: dict | None = None) -> dict:
    """Return GOOD with ``changes`` applied; a value of None removes that answer."""
    merged = {**GOOD, **(changes or {})}
    return {question: value for question, value in merged.items() if value is not None}


def rate(case_type: str = FC, changes: dict | None = None):
    """Rate a case whose answers are GOOD varied by ``changes``."""
    return rate_case(INSTRUMENT, case_type, answers(changes))
