"""A program improvement plan's measurement: its windows, its figures and their goals."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.core.models import state_type, utcnow
from review_app.extensions import Model
from review_app.performance.windows import Window, months_after
from review_app.plans.states import FigureKind, GoalKind
from review_app.sites.models import Site


class Plan(Model):
    """A plan's measurement on one site: a baseline window, then rolling windows to an end.

    Windows count finalized reviews by the day they were finalized. The baseline
    runs ``baseline_months`` from ``baseline_start``; every ``every_months`` after it
    ends, a window of ``measure_months`` ending then is measured, up to the end of
    ``last_month``.
    """

    __tablename__ = "pip_plans"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The instrument the items are read with: which item applies to which case type.
    instrument_version: Mapped[str] = mapped_column(String(80))
    baseline_start: Mapped[date]  # the first day of a month
    baseline_months: Mapped[int] = mapped_column(default=12)
    measure_months: Mapped[int] = mapped_column(default=12)
    every_months: Mapped[int] = mapped_column(default=3)
    last_month: Mapped[date]  # the first day of the last month measured
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()
    measures: Mapped[list["Measure"]] = relationship(
        back_populates="plan", order_by="Measure.position", cascade="all, delete-orphan"
    )

    @property
    def baseline(self) -> Window:
        return Window(self.baseline_start, months_after(self.baseline_start, self.baseline_months))

    @property
    def ends(self) -> date:
        """Return the first day after the plan's last measured month."""
        return months_after(self.last_month, 1)

    def measurements(self) -> list[Window]:
        """Return every measurement window of the plan, over or not."""
        found: list[Window] = []
        end = months_after(self.baseline.end, self.every_months)
        while end <= self.ends and len(found) < 200:
            found.append(Window(months_after(end, -self.measure_months), end))
            end = months_after(end, self.every_months)
        return found

    def __repr__(self) -> str:
        return f"<Plan {self.name!r} of site {self.site_id}>"


class Measure(Model):
    """One item or outcome a plan measures, with its baseline as computed when it was agreed.

    The baseline is stored, not recomputed: a case finalized, reopened or re-rated
    later does not move the figure the goal was negotiated against.
    """

    __tablename__ = "pip_measures"
    __table_args__ = (UniqueConstraint("plan_id", "kind", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("pip_plans.id", ondelete="CASCADE"))
    kind: Mapped[FigureKind] = mapped_column(state_type(FigureKind, "kind"))
    ref: Mapped[str] = mapped_column(String(20))  # the item's or outcome's id
    position: Mapped[int] = mapped_column(default=0)
    baseline_applicable: Mapped[int] = mapped_column(default=0)
    baseline_hits: Mapped[int] = mapped_column(default=0)
    baseline_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="measures")
    goals: Mapped[list["Goal"]] = relationship(
        back_populates="measure",
        order_by=lambda: (Goal.valid_from.desc(), Goal.id.desc()),
        cascade="all, delete-orphan",
    )

    @property
    def key(self) -> str:
        """Return the figure as the pages name it: ``item:4``, ``outcome:S1``."""
        return f"{self.kind}:{self.ref}"

    @property
    def baseline_percent(self) -> float | None:
        if not self.baseline_applicable:
            return None
        return 100.0 * self.baseline_hits / self.baseline_applicable

    @property
    def goal(self) -> "Goal | None":
        """Return the goal in force: the latest recorded."""
        return self.goals[0] if self.goals else None

    def __repr__(self) -> str:
        return f"<Measure {self.key} of plan {self.plan_id}>"


class Goal(Model):
    """A negotiated goal of a measure from ``valid_from`` on; a new one replaces it, both kept."""

    __tablename__ = "pip_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("pip_measures.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[GoalKind] = mapped_column(state_type(GoalKind, "kind"))
    # Tenths of a percent or point: exact on every database (SQLite has no decimals).
    tenths: Mapped[int]
    valid_from: Mapped[datetime] = mapped_column(default=utcnow)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(500), default="")

    measure: Mapped[Measure] = relationship(back_populates="goals")
    set_by: Mapped[User | None] = relationship()

    @property
    def value(self) -> Decimal:
        return (Decimal(self.tenths) / 10).quantize(Decimal("0.1"))

    def target(self, baseline: float | None) -> float | None:
        """Return the percentage to reach, or None when it rests on a baseline there is not."""
        if self.kind == GoalKind.TARGET:
            return float(self.value)
        return None if baseline is None else baseline + float(self.value)

    @property
    def words(self) -> str:
        if self.kind == GoalKind.TARGET:
            return f"reach {self.value}%"
        return f"{self.value} points over the baseline"

    def __repr__(self) -> str:
        return f"<Goal {self.kind} {self.value} of measure {self.measure_id}>"
