"""Memberships: a person's roles on one site."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.core.models import utcnow
from review_app.core.roles import RoleSet
from review_app.extensions import Model
from review_app.sites.models import LocalSite, Region, Site


class RoleColumns:
    """The roles stored in a row's five role columns (a membership, an access request)."""

    if TYPE_CHECKING:  # the columns are declared by each model
        is_state_admin: bool
        is_reviewer: bool
        is_observer: bool
        qa_level: int | None
        is_site_leader: bool

    @property
    def roles(self) -> RoleSet:
        """Return the roles held (or asked for), as a value."""
        return RoleSet(
            self.is_state_admin,
            self.is_reviewer,
            self.is_observer,
            self.qa_level,
            self.is_site_leader,
        )

    @roles.setter
    def roles(self, roles: RoleSet) -> None:
        self.is_state_admin = roles.is_state_admin
        self.is_reviewer = roles.is_reviewer
        self.is_observer = roles.is_observer
        self.qa_level = roles.qa_level
        self.is_site_leader = roles.is_site_leader


class NamedPlace:
    """A row naming either a region or a local site (a scope entry, a requested place)."""

    if TYPE_CHECKING:
        region: Region | None
        local_site: LocalSite | None

    @property
    def name(self) -> str:
        """Return the region's or local site's name."""
        place = self.region or self.local_site
        return place.name if place else ""


class Membership(RoleColumns, Model):
    """The roles one user holds on one site; an inactive membership grants nothing."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "site_id"),
        CheckConstraint("qa_level IS NULL OR qa_level IN (1, 2)", name="qa_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    is_state_admin: Mapped[bool] = mapped_column(default=False)
    is_reviewer: Mapped[bool] = mapped_column(default=False)
    is_observer: Mapped[bool] = mapped_column(default=False)
    qa_level: Mapped[int | None]
    is_site_leader: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Limited to the regions and local sites of ``scope_entries`` (at least one when
    # limited); not limited: the whole site.
    is_limited: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    site: Mapped[Site] = relationship()
    scope_entries: Mapped[list["ScopeEntry"]] = relationship(
        back_populates="membership", cascade="all, delete-orphan", order_by="ScopeEntry.id"
    )

    @property
    def role_labels(self) -> list[str]:
        """Return the roles in words, for pages."""
        return self.roles.role_labels

    def __repr__(self) -> str:
        return f"<Membership user={self.user_id} site={self.site_id} {self.roles.codes}>"


class ScopeEntry(NamedPlace, Model):
    """One region or one local site a limited membership reaches."""

    __tablename__ = "membership_scopes"
    __table_args__ = (
        CheckConstraint(
            "(region_id IS NULL) <> (local_site_id IS NULL)", name="region_or_local_site"
        ),
        UniqueConstraint("membership_id", "region_id"),
        UniqueConstraint("membership_id", "local_site_id"),
        Index("ix_membership_scopes_region", "region_id"),
        Index("ix_membership_scopes_local_site", "local_site_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    local_site_id: Mapped[int | None] = mapped_column(ForeignKey("local_sites.id"))

    membership: Mapped[Membership] = relationship(back_populates="scope_entries")
    region: Mapped[Region | None] = relationship()
    local_site: Mapped[LocalSite | None] = relationship()
