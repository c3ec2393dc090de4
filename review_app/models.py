"""Import every model so the metadata (and so Alembic) knows every table."""

from review_app.access_requests.models import AccessRequest, RequestedPlace
from review_app.accounts.models import User
from review_app.analysis.models import SavedAnalysis
from review_app.audit.models import AuditChain, AuditEntry
from review_app.cases.models import Assignment, Case
from review_app.core.once import FormKey
from review_app.drafts.models import FormDraft
from review_app.interviews.models import Interview, NoteSet
from review_app.jobs.models import Job
from review_app.members.models import Membership
from review_app.notices.models import DigestSent, Notice, NoticePreference
from review_app.periods.models import ReviewPeriod
from review_app.plans.models import Goal, Measure, Plan
from review_app.ratings.models import Answer, ItemReview, OutcomeRating, SubmittedRating
from review_app.sites.models import Jurisdiction, LocalSite, Site
from review_app.systemic.models import SystemicRating
from review_app.tokens.models import ApiToken
from review_app.training.models import KeyExplanation, PracticeScore, PracticeScoreItem

__all__ = [
    "AccessRequest",
    "Answer",
    "ApiToken",
    "Assignment",
    "AuditChain",
    "AuditEntry",
    "Case",
    "DigestSent",
    "FormDraft",
    "FormKey",
    "Goal",
    "Interview",
    "ItemReview",
    "Job",
    "Jurisdiction",
    "KeyExplanation",
    "Measure",
    "LocalSite",
    "Membership",
    "NoteSet",
    "Notice",
    "NoticePreference",
    "OutcomeRating",
    "Plan",
    "PracticeScore",
    "PracticeScoreItem",
    "RequestedPlace",
    "ReviewPeriod",
    "SavedAnalysis",
    "Site",
    "SubmittedRating",
    "SystemicRating",
    "User",
]
