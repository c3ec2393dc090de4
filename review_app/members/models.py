"""Memberships: a person's roles on one site."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.core.models import utcnow
from review_app.core.roles import RoleSet
from review_app.extensions import Model
from review_app.sites.models import Site


class Membership(Model):
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
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    site: Mapped[Site] = relationship()

    @property
    def roles(self) -> RoleSet:
        """Return the roles held, as a value."""
        return RoleSet(self.is_state_admin, self.is_reviewer, self.is_observer, self.qa_level)

    @roles.setter
    def roles(self, roles: RoleSet) -> None:
        self.is_state_admin = roles.is_state_admin
        self.is_reviewer = roles.is_reviewer
        self.is_observer = roles.is_observer
        self.qa_level = roles.qa_level

    @property
    def role_labels(self) -> list[str]:
        """Return the roles in words, for pages."""
        return self.roles.role_labels

    def __repr__(self) -> str:
        return f"<Membership user={self.user_id} site={self.site_id} {self.roles.codes}>"
