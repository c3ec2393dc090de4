"""The plan form: its windows, and per item or outcome whether it is measured and its goal.

The item and outcome fields are made per instrument (``plan_form``); their names come
from ``states.figure_field`` so the operation's errors land on them.
"""

from datetime import date
from decimal import Decimal

from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from review_app.core.forms import DraftForm
from review_app.plans.operations import GoalInput, PlanInput
from review_app.plans.states import GOAL_KIND_LABELS, FigureKind, GoalKind, figure_field

MONTHS = [SelectChoice(n, date(2000, n, 1).strftime("%B")) for n in range(1, 13)]
GOAL_KINDS = [SelectChoice(kind.value, words) for kind, words in GOAL_KIND_LABELS.items()]
YEAR = [
    InputRequired("Give a year between 1990 and 2100."),
    NumberRange(1990, 2100, "Give a year between 1990 and 2100."),
]


class PlanForm(DraftForm):
    name = StringField(
        "Name of the plan",
        description='For example "Round 4 PIP: placement stability".',
        validators=[InputRequired("Name the plan."), Length(max=120)],
    )
    baseline_month = SelectField("Month the baseline starts", choices=MONTHS, coerce=int)
    baseline_year = IntegerField("Year the baseline starts", validators=YEAR)
    baseline_months = IntegerField(
        "Length of the baseline window, in months",
        default=12,
        description="Finalized reviews of these months make the baseline.",
        validators=[InputRequired(), NumberRange(1, 36, "Give from 1 to 36 months.")],
    )
    measure_months = IntegerField(
        "Length of each measurement window, in months",
        default=12,
        validators=[InputRequired(), NumberRange(1, 36, "Give from 1 to 36 months.")],
    )
    every_months = IntegerField(
        "Months between measurements",
        default=3,
        description="3: a rolling window reported each quarter after the baseline ends.",
        validators=[InputRequired(), NumberRange(1, 12, "Give from 1 to 12 months.")],
    )
    end_month = SelectField("Last month measured", choices=MONTHS, coerce=int)
    end_year = IntegerField("Year of the last month measured", validators=YEAR)
    reason = TextAreaField(
        "Why the goals change",
        description="Needed when a goal changes; the earlier goals stay on record.",
        validators=[Optional(), Length(max=500)],
    )


Figures = list[tuple[FigureKind, str, str]]  # kind, id, label


def plan_form(figures: Figures, **kwargs) -> PlanForm:
    """Return the plan form with a choice, a kind of goal and a goal per item and outcome."""

    class Form(PlanForm):
        pass

    for kind, ref, label in figures:
        short = label.split(":")[0]
        lower = short[:1].lower() + short[1:]  # "item 12A"
        setattr(Form, figure_field("include", kind, ref), BooleanField(f"Measure {short}"))
        setattr(
            Form,
            figure_field("goal_kind", kind, ref),
            SelectField(
                f"Kind of goal for {lower}",
                choices=GOAL_KINDS,
                default=GoalKind.TARGET.value,
            ),
        )
        setattr(
            Form,
            figure_field("goal_value", kind, ref),
            DecimalField(
                f"Goal for {lower}",
                places=1,
                validators=[Optional()],
                render_kw={"inputmode": "decimal"},
            ),
        )
    return Form(**kwargs)


def fill_figures(form: PlanForm, measures) -> None:
    """Show a plan's measures and their goals in force (on a GET of the edit form)."""
    for measure in measures:
        form[figure_field("include", measure.kind, measure.ref)].data = True
        if measure.goal is not None:
            form[figure_field("goal_kind", measure.kind, measure.ref)].data = measure.goal.kind
            form[figure_field("goal_value", measure.kind, measure.ref)].data = measure.goal.value


def read_plan(form: PlanForm, figures: Figures) -> PlanInput:
    """Return what the form says, for the operation to check."""
    chosen: dict[tuple[FigureKind, str], GoalInput] = {}
    for kind, ref, _label in figures:
        if form[figure_field("include", kind, ref)].data:
            goal_kind = form[figure_field("goal_kind", kind, ref)].data
            value = form[figure_field("goal_value", kind, ref)].data
            chosen[(kind, ref)] = GoalInput(
                GoalKind(goal_kind) if goal_kind in set(GoalKind) else GoalKind.TARGET,
                value if isinstance(value, Decimal) else None,
            )
    return PlanInput(
        name=form.name.data or "",
        baseline_start=date(form.baseline_year.data, form.baseline_month.data, 1),
        baseline_months=form.baseline_months.data,
        measure_months=form.measure_months.data,
        every_months=form.every_months.data,
        last_month=date(form.end_year.data, form.end_month.data, 1),
        figures=chosen,
        reason=form.reason.data or "",
    )
