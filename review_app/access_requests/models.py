"""Access requests: the roles and the part of a site a person asks for, and the decision."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, UniqueConstraint, column, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.access_requests.states import RequestStatus
from review_app.accounts.models import User
from review_app.core.models import state_type, utcnow
from review_app.extensions import Model
from review_app.members.models import NamedPlace, RoleColumns
from review_app.sites.models import LocalSite, Region, Site


class AccessRequest(RoleColumns, Model):
    """One person's request for roles on one site: the whole site, or named places of it.

    At most one request per person and site waits for a decision (a partial unique
    index). ``decided_by`` and ``decided_at`` say who approved, declined or withdrew it.
    """

    __tablename__ = "access_requests"
    __table_args__ = (
        CheckConstraint("qa_level IS NULL OR qa_level IN (1, 2)", name="qa_level"),
        Index(
            "uq_access_requests_one_pending",
            "user_id",
            "site_id",
            unique=True,
            sqlite_where=column("status") == RequestStatus.PENDING.value,
            postgresql_where=column("status") == RequestStatus.PENDING.value,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    status: Mapped[RequestStatus] = mapped_column(
        state_type(RequestStatus, "status"), default=RequestStatus.PENDING
    )
    is_state_admin: Mapped[bool] = mapped_column(default=False)
    is_reviewer: Mapped[bool] = mapped_column(default=False)
    is_observer: Mapped[bool] = mapped_column(default=False)
    qa_level: Mapped[int | None]
    is_site_leader: Mapped[bool] = mapped_column(default=False)
    # Limited to the regions and local sites of ``places``; not limited: the whole site.
    is_limited: Mapped[bool] = mapped_column(default=False, server_default=false())
    reason: Mapped[str] = mapped_column(Text)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    site: Mapped[Site] = relationship()
    places: Mapped[list["RequestedPlace"]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestedPlace.id"
    )

    @property
    def regions(self) -> list[Region]:
        return [place.region for place in self.places if place.region is not None]

    @property
    def local_sites(self) -> list[LocalSite]:
        return [place.local_site for place in self.places if place.local_site is not None]

    @property
    def scope_text(self) -> str:
        """Return the part of the site asked for, in words."""
        if not self.is_limited:
            return "The whole site"
        return ", ".join(place.name for place in self.places)

    def __repr__(self) -> str:
        return f"<AccessRequest {self.id} user={self.user_id} site={self.site_id} {self.status}>"


class RequestedPlace(NamedPlace, Model):
    """One region or one local site a limited request names."""

    __tablename__ = "access_request_places"
    __table_args__ = (
        CheckConstraint(
            "(region_id IS NULL) <> (local_site_id IS NULL)", name="region_or_local_site"
        ),
        UniqueConstraint("request_id", "region_id"),
        UniqueConstraint("request_id", "local_site_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("access_requests.id", ondelete="CASCADE"), index=True
    )
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    local_site_id: Mapped[int | None] = mapped_column(ForeignKey("local_sites.id"), index=True)

    request: Mapped[AccessRequest] = relationship(back_populates="places")
    region: Mapped[Region | None] = relationship()
    local_site: Mapped[LocalSite | None] = relationship()

    def __repr__(self) -> str:
        return f"<RequestedPlace request={self.request_id} {self.region_id or self.local_site_id}>"
