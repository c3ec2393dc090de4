"""Demo stakeholder interviews: two complete (merged from two note-takers), one still in
draft with a QA question, and two systemic factor ratings citing the complete ones."""

from datetime import timedelta

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.interviews import operations
from review_app.interviews.facts import InterviewFacts
from review_app.interviews.models import Interview
from review_app.interviews.note_operations import merge, save_notes
from review_app.periods.models import ReviewPeriod
from review_app.systemic.operations import rate

# title, stakeholder types, days before the period's end, {note-taker: {item: text}}
INTERVIEWS = [
    (
        "Focus group with foster and kinship parents",
        ["foster_adoptive_parents", "relative_caregivers"],
        150,
        {
            "reviewer": {
                "24": "Most parents learn of court hearings from the caseworker a day or two "
                "before; two had never received a written notice.",
                "28": "Pre-service training is well liked. Ongoing training is hard to reach "
                "for parents who work days.",
            },
            "reviewer2": {
                "24": "Kinship caregivers said they are rarely asked to speak at hearings.",
                "29": "Waiting lists for therapy run three to four months in the rural counties.",
            },
        },
    ),
    (
        "Juvenile court judges and attorneys",
        ["judges", "parents_attorneys", "children_attorneys"],
        120,
        {
            "reviewer2": {
                "21": "Six-month reviews are held on time in both courts visited.",
                "22": "Permanency hearings slip when the docket is full; continuances are common.",
            },
            "reviewer": {
                "22": "Attorneys estimate a third of permanency hearings are continued at least "
                "once.",
                "23": "Petitions to end parental rights are filed late in about half the cases "
                "that qualify, with no compelling reason recorded.",
            },
        },
    ),
]


def _facts(period: ReviewPeriod, index: int, title, types, days, official: User, other: User):
    return InterviewFacts(
        held_on=period.pur_end - timedelta(days=days),
        local_site=period.local_sites[index % len(period.local_sites)],
        title=title,
        stakeholder_types=types,
        interviewer=official,
        official_note_taker=official,
        supporting=[other],
    )


def _write_all(interview: Interview, people: dict[str, User], notes: dict) -> None:
    for username, texts in notes.items():
        author = people[username]
        note_set = interview.notes_of(author.id)
        assert note_set is not None  # every note-taker of a new interview has a set
        save_notes(author, interview, note_set, texts, note_set.lock_version, True)


def seed_interviews(period: ReviewPeriod, people: dict[str, User]) -> list[Interview]:
    """Add the demo interviews and ratings to an open period; return the interviews."""
    if not period.is_open or not get_instrument(period.instrument_version).systemic_items:
        return []
    reviewer, reviewer2, qa = people["reviewer"], people["reviewer2"], people["qa"]
    done = []
    for index, (title, types, days, notes) in enumerate(INTERVIEWS):
        official, other = (reviewer, reviewer2) if index == 0 else (reviewer2, reviewer)
        interview = operations.create_interview(
            official, period, _facts(period, index, title, types, days, official, other)
        )
        db.session.flush()
        _write_all(interview, people, notes)
        final = merge(official, interview)
        if index == 0:
            thread = operations.start_thread(
                qa, interview, "24", "Did anyone say how notices are sent: mail, phone, email?"
            )
            operations.reply(reviewer2, interview, thread, "By mail, and often late.")
            operations.set_thread_open(qa, interview, thread, False)
            texts = dict(final.texts)
            texts["24"] = (
                "Notices of hearings reach foster and kinship parents late or not at all; they "
                "are mailed, and most parents hear from the caseworker first. Kinship "
                "caregivers are rarely invited to speak."
            )
            save_notes(official, interview, final, texts, final.lock_version)
        operations.complete(official, interview)
        done.append(interview)
    draft = operations.create_interview(
        reviewer,
        period,
        _facts(
            period,
            2,
            "Caseworkers and supervisors",
            ["caseworkers", "supervisors"],
            30,
            reviewer,
            reviewer2,
        ),
    )
    db.session.flush()
    _write_all(draft, people, {"reviewer": {"26": "New workers carry cases before training."}})
    operations.start_thread(qa, draft, "26", "How many weeks before they carry cases?")
    admin = people["admin"]
    rate(
        admin,
        period,
        "24",
        "ani",
        "Caregivers get late or no notice of hearings and are rarely heard.",
        [done[0].id],
        0,
    )
    rate(
        admin,
        period,
        "22",
        "ani",
        "Permanency hearings are often continued past twelve months.",
        [done[1].id],
        0,
    )
    return [*done, draft]
