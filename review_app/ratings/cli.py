"""``flask ratings rate-subitems``: store sub-item ratings of cases rated before they were kept."""

import click
from flask.cli import with_appcontext
from sqlalchemy import exists, select

from review_app.cases.models import Case
from review_app.core.unit import command_unit
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import rate_case
from review_app.ratings import queries
from review_app.ratings.models import SubitemRating
from review_app.ratings.operations import store_subitems


@click.group()
def ratings():
    """Case ratings kept for reports."""


def rate_missing_subitems() -> int:
    """Rate and store the sub-items of every case that has none stored; return how many.

    Only the sub-items are written: the item and outcome ratings stay as they are.
    """
    done = 0
    statement = (
        select(Case).where(~exists().where(SubitemRating.case_id == Case.id)).order_by(Case.id)
    )
    for case in db.session.scalars(statement).all():
        instrument = get_instrument(case.period.instrument_version)
        if not any(item.subitems for item in instrument.items.values()):
            continue
        answers = queries.answer_values(queries.answers(case))
        store_subitems(case, instrument, rate_case(instrument, case.case_type, answers, {}))
        done += 1
    return done


@ratings.command("rate-subitems")
@with_appcontext
def rate_subitems():
    """Store the sub-item ratings (12A, 12B, 12C) of cases that have none yet."""
    with command_unit():
        count = rate_missing_subitems()
    click.echo(f"Sub-item ratings stored for {count} case(s).")
