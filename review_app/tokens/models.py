"""Personal access tokens for the read API, each bound to one user on one site."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_app.accounts.models import User
from review_app.core.models import utcnow
from review_app.extensions import Model
from review_app.sites.models import Site


class ApiToken(Model):
    """A secret a user's scripts send to read one site's data with that user's role there.

    Only a SHA-256 digest of the secret is kept; the secret is shown once, when made.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    name: Mapped[str] = mapped_column(String(80))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown so people can tell tokens apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    site: Mapped[Site] = relationship()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > utcnow())

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… of user {self.user_id} on site {self.site_id}>"
