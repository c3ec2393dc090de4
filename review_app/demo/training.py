"""Demo answer keys on the Training site, and a trainee's scored attempts at them."""

from datetime import date

from review_app.accounts.models import User
from review_app.cases.facts import CaseFacts
from review_app.cases.models import Case
from review_app.cases.operations import create_case
from review_app.demo.answers import complete_answers
from review_app.demo.cases import rate_with
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import rate_case
from review_app.instruments.model import Instrument
from review_app.periods.queries import periods
from review_app.qa.operations import transition
from review_app.sites.models import Site
from review_app.training import key_operations as keys
from review_app.training import operations as training

# Case number, case type, child; each becomes a published answer key.
KEYS = [("KEY-FC-1", "foster_care", "T.R."), ("KEY-IH-2", "in_home", "S.P.")]
# (item, question or "" for the item) -> what trainees read after submitting.
EXPLANATIONS = {
    ("2", ""): "Services count only when they were offered to keep the child safely at home.",
    ("3", ""): "Item 3 asks about every assessment in the period, not only the first one.",
    ("3", "3B"): "Look for an ongoing assessment at each change in the family, not only at intake.",
    ("14", ""): "Count visits by the assigned caseworker only; a supervisor's visit is not one.",
    ("14", "14A"): "Monthly visits are the minimum; the file shows two gaps of six weeks.",
}
KEY_SEED, GUESS_SEED = 7_000, 7_100


def flipped(instrument: Instrument, case_type: str, answers: dict, count: int) -> dict:
    """Return the answers with ``count`` rated yes/no answers turned around.

    Face sheet and applicability questions stay; so does an answer whose change
    would ask a follow-up question the answers do not give.
    """
    changed, left = dict(answers), count
    for question_id, value in answers.items():
        if not left:
            break
        if value not in ("yes", "no") or not question_id[0].isdigit() or "-app" in question_id:
            continue
        trial = changed | {question_id: "no" if value == "yes" else "yes"}
        ratings = rate_case(instrument, case_type, trial)
        if not any(result.missing for result in ratings.items.values()):
            changed, left = trial, left - 1
    return changed


def _key(admin: User, site: Site, index: int) -> tuple[Case, dict]:
    number, case_type, child = KEYS[index]
    period = periods(site)[0]
    facts = CaseFacts(
        number,
        case_type,
        period.local_sites[index % len(period.local_sites)],
        child,
        child_birth_date=date(2014 + index, 3, 9),
        opened_on=date(2025, 10, 1),
        removal_on=date(2025, 11, 4) if case_type == "foster_care" else None,
        pur_start=date(2026, 4, 1) if period.pur_start is None else None,
    )
    key = create_case(admin, period, facts)
    keys.make_key(admin, key)
    instrument = get_instrument(period.instrument_version)
    answers = complete_answers(instrument, case_type, KEY_SEED + index, no_rate=0.15)
    rate_with(admin, key, answers, "The expert reviewers' rating, agreed at the calibration.")
    for item_id in instrument.items:
        texts = {q: text for (i, q), text in EXPLANATIONS.items() if i == item_id}
        if texts:
            keys.save_explanations(admin, key, item_id, texts)
    keys.publish_key(admin, key)
    return key, answers


def seed_training(site: Site, people: dict[str, User]) -> list[Case]:
    """Publish two answer keys; the demo reviewer scores on both, resetting one to improve."""
    admin, trainee = people["admin"], people["reviewer"]
    keys = [_key(admin, site, index) for index in range(len(KEYS))]
    (first, answers), (second, second_answers) = keys
    instrument = get_instrument(first.period.instrument_version)
    copy, _ = training.start_copy(trainee, first)
    guess = complete_answers(instrument, first.case_type, GUESS_SEED, no_rate=0.3)
    rate_with(trainee, copy, guess)
    transition(trainee, copy, "submit")
    training.reset_copy(trainee, copy)
    rate_with(trainee, copy, flipped(instrument, first.case_type, answers, 2))
    transition(trainee, copy, "submit")
    other, _ = training.start_copy(trainee, second)
    rate_with(trainee, other, flipped(instrument, second.case_type, second_answers, 1))
    transition(trainee, other, "submit")
    return [first, second]
