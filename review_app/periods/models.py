"""Review periods."""

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.core.models import utcnow
from review_app.extensions import Model, db
from review_app.sites.models import LocalSite, Site

period_local_sites = Table(
    "period_local_sites",
    db.metadata,
    Column("period_id", ForeignKey("review_periods.id", ondelete="CASCADE"), primary_key=True),
    Column("local_site_id", ForeignKey("local_sites.id"), primary_key=True),
)


class ReviewPeriod(Model):
    """A round of reviews on one site, over a period under review (PUR)."""

    __tablename__ = "review_periods"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # None means an open (rolling) start, set per case; only where the site allows it.
    pur_start: Mapped[date | None]
    pur_end: Mapped[date]
    instrument_version: Mapped[str] = mapped_column(String(80))
    is_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    site: Mapped[Site] = relationship()
    local_sites: Mapped[list[LocalSite]] = relationship(
        secondary=period_local_sites, order_by=LocalSite.name
    )

    @property
    def pur_label(self) -> str:
        """Return the period under review in words."""
        start = self.pur_start.isoformat() if self.pur_start else "open start"
        return f"{start} to {self.pur_end.isoformat()}"

    def __repr__(self) -> str:
        return f"<ReviewPeriod {self.name!r} of site {self.site_id}>"
