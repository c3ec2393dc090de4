"""Jurisdictions, their sites and the local sites (counties, offices) of a site."""

from datetime import datetime

from flask import current_app
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.core.models import utcnow
from review_app.extensions import Model
from review_app.sites.settings import SiteKindSettings


class Jurisdiction(Model):
    """A state, territory or district that runs reviews."""

    __tablename__ = "jurisdictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sites: Mapped[list["Site"]] = relationship(back_populates="jurisdiction", order_by="Site.id")

    def __repr__(self) -> str:
        return f"<Jurisdiction {self.code!r}>"


class Site(Model):
    """One of a jurisdiction's Training, CQI and CFSR sites, each with its own data."""

    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdictions.id"))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Aggregate figures over fewer cases than this show as "fewer than N", to protect
    # children's privacy (review_app/performance/privacy.py); the state administrator sets it.
    small_cell_minimum: Mapped[int] = mapped_column(default=5, server_default="5")

    jurisdiction: Mapped[Jurisdiction] = relationship(back_populates="sites", lazy="joined")

    @property
    def settings(self) -> SiteKindSettings:
        """Return the settings of this site's kind, read from ``sites/<kind>.toml``."""
        return current_app.extensions["site_settings"][self.kind]

    @property
    def label(self) -> str:
        """Return the name people see, e.g. 'Demo State CQI'."""
        return f"{self.jurisdiction.name} {self.settings.display_name}"

    @property
    def slug(self) -> str:
        """Return the URL path of the site, e.g. 'demo/cqi'."""
        return f"{self.jurisdiction.code}/{self.kind}"

    def __repr__(self) -> str:
        return f"<Site {self.slug}>"


class Region(Model):
    """A group of a site's local sites that people's access can be limited to."""

    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("site_id", "code"), UniqueConstraint("site_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()
    local_sites: Mapped[list["LocalSite"]] = relationship(
        back_populates="region", order_by="LocalSite.name"
    )

    def __repr__(self) -> str:
        return f"<Region {self.code!r} of site {self.site_id}>"


class LocalSite(Model):
    """A county or office that a site samples cases from; in at most one region."""

    __tablename__ = "local_sites"
    __table_args__ = (UniqueConstraint("site_id", "code"), UniqueConstraint("site_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)

    site: Mapped[Site] = relationship()
    region: Mapped[Region | None] = relationship(back_populates="local_sites")

    def __repr__(self) -> str:
        return f"<LocalSite {self.code!r} of site {self.site_id}>"
