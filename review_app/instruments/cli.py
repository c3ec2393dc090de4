"""``flask instruments ...``: tools for instrument authors, no web pages needed."""

import json
import sys
from pathlib import Path

import click

from review_app.instruments import export as exporter
from review_app.instruments.answers import AnswerError, parse
from review_app.instruments.engine import rate_case
from review_app.instruments.loader import InstrumentError, load
from review_app.instruments.model import Instrument


@click.group()
def instruments() -> None:
    """Check, export and try out instrument files."""


def _load(path: str) -> Instrument:
    try:
        return load(path)
    except InstrumentError as error:
        for fault in error.faults:
            click.echo(f"{error.path}: {fault}", err=True)
        sys.exit(1)


@instruments.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def check(file: str) -> None:
    """Check FILE completely; list every fault with its place."""
    instrument = _load(file)
    click.echo(
        f"{file}: OK, version {instrument.version}: {len(instrument.items)} items, "
        f"{len(instrument.outcomes)} outcomes, {len(instrument.questions)} questions, "
        f"{len(instrument.systemic_items)} systemic factor items"
    )


@instruments.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
def export(file: str) -> None:
    """Print the normalised definition of FILE as JSON."""
    click.echo(json.dumps(exporter.normalised(_load(file)), indent=2))


@instruments.command("rate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("answers_file", metavar="ANSWERS.json", type=click.Path(dir_okay=False))
@click.option("--case-type", required=True, help="foster_care or in_home")
def rate(file: str, answers_file: str, case_type: str) -> None:
    """Print the item and outcome ratings that ANSWERS.json gives under FILE."""
    instrument = _load(file)
    try:
        raw = json.loads(Path(answers_file).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{answers_file}: {error}") from None
    if not isinstance(raw, dict):
        raise click.ClickException(f"{answers_file}: give an object of question id -> answer")
    answers, faults = {}, []
    for question_id, value in raw.items():
        question = instrument.questions.get(question_id)
        if question is None:
            faults.append(f"{question_id}: no such question in {instrument.version}")
            continue
        try:
            answers[question_id] = parse(instrument, question, value)
        except AnswerError as error:
            faults.append(f"{question_id}: {error}")
    if faults:
        raise click.ClickException(f"{answers_file}:\n  " + "\n  ".join(faults))
    if case_type not in instrument.definition.case_types:
        raise click.BadParameter(
            f"use one of {', '.join(instrument.definition.case_types)}", param_hint="--case-type"
        )
    click.echo(json.dumps(rate_case(instrument, case_type, answers).as_dict(), indent=2))
