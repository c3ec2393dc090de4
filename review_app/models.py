"""Import every model so the metadata (and so Alembic) knows every table."""

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.cases.models import Assignment, Case
from review_app.members.models import Membership
from review_app.periods.models import ReviewPeriod
from review_app.ratings.models import Answer, ItemReview, OutcomeRating
from review_app.sites.models import Jurisdiction, LocalSite, Site

__all__ = [
    "Answer",
    "Assignment",
    "AuditEntry",
    "Case",
    "ItemReview",
    "Jurisdiction",
    "LocalSite",
    "Membership",
    "OutcomeRating",
    "ReviewPeriod",
    "Site",
    "User",
]
