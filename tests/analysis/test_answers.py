"""Effective answers in SQL agree with the rating engine for every question and case."""

from sqlalchemy import select

from review_app.analysis.answers import EffectiveAnswers
from review_app.analysis.sources import ANSWER_KINDS
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import evaluate
from review_app.periods.queries import periods
from review_app.ratings.models import Answer
from review_app.sites.queries import site_by_slug


def _set(case_id: int, question_id: str, value) -> None:
    row = db.session.scalar(
        select(Answer).where(Answer.case_id == case_id, Answer.question_id == question_id)
    )
    if row is None:
        db.session.add(Answer(case_id=case_id, question_id=question_id, value=value))
    else:
        row.value = value
    db.session.flush()


def test_every_question_reads_as_the_engine_reads_it(finalized):
    with finalized.app_context():
        site = site_by_slug("demo", "cqi")
        instrument = get_instrument(periods(site)[0].instrument_version)
        cases = list(db.session.scalars(select(Case).where(Case.site_id == site.id)))
        foster = [case for case in cases if case.case_type == "foster_care"]
        in_home = [case for case in cases if case.case_type == "in_home"]
        # Answers the engine does not read as typed: a reason checked makes 4C "No"; 4B is
        # hidden when there was one placement; item 4 is never asked on an in-home case.
        _set(foster[0].id, "4C", "yes")
        _set(foster[0].id, "4C1", ["behavior"])
        _set(foster[1].id, "4A", 1)
        _set(foster[1].id, "4B", "no")
        _set(in_home[0].id, "4C", "yes")
        stored: dict[int, dict] = {}
        for answer in db.session.scalars(
            select(Answer).where(Answer.case_id.in_([case.id for case in cases]))
        ):
            stored.setdefault(answer.case_id, {})[answer.question_id] = answer.value
        engine = {
            case.id: evaluate(instrument, case.case_type, stored.get(case.id, {})) for case in cases
        }
        assert engine[foster[0].id].value("4C") == "no"
        assert engine[foster[1].id].value("4B") is None
        asked = [q for q, question in instrument.questions.items() if question.kind in ANSWER_KINDS]
        assert len(asked) > 90
        differ = []
        for question_id in asked:
            answers = EffectiveAnswers(instrument, "t")
            statement = select(Case.id, answers.value(question_id)).select_from(Case)
            for target, on in answers.joins:
                statement = statement.outerjoin(target, on)
            found = dict(db.session.execute(statement.where(Case.site_id == site.id)).all())
            for case in cases:
                want = engine[case.id].value(question_id)
                if found[case.id] != want:
                    differ.append((question_id, case.case_number, found[case.id], want))
        assert differ == []
