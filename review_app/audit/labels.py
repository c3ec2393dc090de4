"""Audit actions and recorded fields in words, for the audit log and a case's history.

Every action string passed to ``record`` or ``record_read`` has an entry in
ACTIONS (tests/audit/test_labels.py collects them from the code), so the
audit log's filter and its "What" column never show ``case.take``.
"""

from collections.abc import Mapping
from typing import Any

from review_app.core.roles import ROLE_LABELS
from review_app.instruments.catalog import version_title
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS

# One entry per recorded action: what happened, as a person would say it.
ACTIONS = {
    "access_request.approve": "Access request approved",
    "access_request.create": "Access asked for",
    "access_request.decline": "Access request declined",
    "access_request.withdraw": "Access request withdrawn",
    "analysis.delete": "Saved analysis deleted",
    "analysis.save": "Analysis saved",
    "api.case": "Case read through the API",
    "api.cases": "Cases listed through the API",
    "case.create": "Case added",
    "case.import": "Cases imported",
    "case.item_save": "Answers saved",
    "case.assign": "Reviewers of a case assigned",
    "case.reassign": "Case moved to another reviewer",
    "case.undo_return": "Return of a case undone",
    "caseload.move": "Caseload moved to another reviewer",
    "caseload.undo": "Caseload move undone",
    "case.update": "Case details changed",
    "case.submit": "Case submitted for QA",
    "case.take": "QA level 1 started",
    "case.return": "Case returned to the reviewers",
    "case.to_level2": "Case passed to QA level 2",
    "case.finalize": "Case finalized",
    "case.eliminate": "Case eliminated from the sample",
    "case.reopen": "Finalized case reopened",
    "case.reinstate": "Case put back in the sample",
    "download.analysis": "Analysis table downloaded",
    "download.analysis_cases": "Cases behind an analysis downloaded",
    "download.case_summary": "Case rating summary downloaded",
    "download.period_summaries": "Rating summaries of a period downloaded",
    "download.source_data": "Source data downloaded",
    "download.pip_progress": "Improvement plan progress report downloaded",
    "interview.complete": "Interview marked complete",
    "interview.create": "Interview added",
    "interview.merge": "Interview notes merged",
    "interview.notes": "Interview notes saved",
    "interview.return": "Interview returned to its note-takers",
    "interview.update": "Interview details changed",
    "job.cancel": "Job cancelled",
    "job.expire": "Expired job removed",
    "job.retry": "Job tried again",
    "job.start": "Job started",
    "jurisdiction.create": "State added",
    "jurisdiction.export": "State's data exported",
    "jurisdiction.remove": "State removed",
    "local_site.create": "Local site added",
    "local_site.update": "Local site changed",
    "site.privacy": "Small-figure privacy setting changed",
    "login.failed": "Sign-in failed",
    "login.locked": "Sign-in locked after failed attempts",
    "login.succeeded": "Signed in",
    "membership.depart": "Departure: all access removed",
    "membership.grant": "Access to a site given",
    "membership.remove": "Access to a site removed",
    "membership.roles": "Roles changed",
    "membership.scope": "Access limited or widened",
    "region.create": "Region added",
    "region.update": "Region edited",
    "region.remove": "Region removed",
    "region.import": "Regions imported from a file",
    "notice.digest": "Daily digest of notifications emailed",
    "notice.preferences": "Email choice for notifications changed",
    "notice.read": "Notification read",
    "notice.read_all": "All notifications marked read",
    "period.close": "Review period closed",
    "period.create": "Review period added",
    "period.reopen": "Review period reopened",
    "period.update": "Review period changed",
    "pip.create": "Improvement plan recorded",
    "pip.goal": "Improvement plan goal renegotiated",
    "pip.update": "Improvement plan changed",
    "qa.comment": "QA comment added",
    "qa.hand_over": "Case handed to another QA person",
    "qa.release": "Case released back to the QA queue",
    "qa.take": "Case taken for QA",
    "qa.override": "Rating overridden by QA",
    "qa.reopen_thread": "QA comment reopened",
    "qa.reply": "Reply to a QA comment",
    "qa.resolve": "QA comment resolved",
    "systemic.rate": "Systemic factor item rated",
    "token.create": "API token made",
    "token.revoke": "API token revoked",
    "training.explain": "Answer key explanation written",
    "training.import_key": "Answer key answers imported",
    "training.make_key": "Answer key made",
    "training.publish_key": "Answer key published",
    "training.reset": "Practice case reset",
    "training.score": "Practice case scored",
    "training.start": "Practice case started",
    "training.withdraw_key": "Answer key withdrawn",
    "user.activate": "Account activated",
    "user.create": "Account added",
    "user.deactivate": "Account deactivated",
    "user.logout": "Signed out",
    "user.invitation_resent": "Invitation sent again",
    "user.invitation_sent": "Invitation sent",
    "user.password": "Password changed",
    "user.password_link": "Password set from an emailed link",
    "user.reset_link_sent": "Password reset link sent by an administrator",
    "user.reset_requested": "Password reset asked",
    "user.system_admin": "System administration granted or removed",
    "user.update": "Account details changed",
}

# Recorded values in words, by field. Domains above audit name their own values
# (cases/models.py: statuses and case types) with name_values.
_RATINGS = {**OUTCOME_LABELS, **ITEM_LABELS}
VALUE_NAMES: dict[str, Mapping[Any, str]] = {
    "roles": ROLE_LABELS,
    "rating": _RATINGS,
    "override": _RATINGS,
}


def name_values(field: str, names: Mapping[Any, str]) -> None:
    """Name the values a domain records under ``field``, for the audit log and histories."""
    VALUE_NAMES[field] = names


# Recorded fields whose name alone does not read well.
FIELDS = {
    "pur_start": "Period under review from",
    "pur_end": "Period under review to",
    "is_open": "Open",
    "is_key": "Answer key",
    "is_active": "Active",
    "is_system_admin": "System administrator",
    "qa1": "QA level 1",
    "qa2": "QA level 2",
    "next_attempt": "Next attempt",
    "reason_code": "Reason",
    "instrument_version": "Instrument",
    "local_site": "Local site",
    "local_sites": "Local sites",
    "is_limited": "Limited to regions or local sites",
    "override": "Rating override",
    "typed": "Username or email typed",
    "sent": "Link sent",
    "purpose": "Link",
    "request_status": "Request",
    "kept": "Access kept (other administrators')",
}


def action_label(action: str) -> str:
    """Return what an action did, in words; an unknown action is written out from its name."""
    if action in ACTIONS:
        return ACTIONS[action]
    return action.replace(".", ": ").replace("_", " ").capitalize()


def field_label(name: str, instrument: Any = None) -> str:
    """Name a recorded field; a question id is named from the instrument when one is given."""
    if name in FIELDS:
        return FIELDS[name]
    if instrument is not None and name in instrument.questions:
        return instrument.question_label(name, capital=True)
    return name.replace("_", " ").capitalize()


# Recorded case fields that hold the codes of an instrument's demographic field.
DEMOGRAPHIC_FIELDS = {"child_sex": "sex", "child_races": "race", "child_hispanic": "hispanic"}


def _instrument_names(name: str, instrument: Any) -> Mapping[Any, str] | None:
    """The words an instrument gives the codes recorded under ``name`` (stakeholder types,
    the child's sex, races and ethnicity), or None."""
    if instrument is None:
        return None
    if name == "stakeholder_types":
        return instrument.stakeholder_types
    declared = instrument.definition.demographics
    if name in DEMOGRAPHIC_FIELDS and declared is not None:
        return {c.value: c.label for c in getattr(declared, DEMOGRAPHIC_FIELDS[name]).choices}
    return None


def value_label(name: str, value: Any, instrument: Any = None) -> str:
    """Write a recorded value in words: status, rating, role and instrument names, Yes/No,
    lists; codes an instrument names are named from ``instrument`` when one is given."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if instrument is not None and name in instrument.questions:
        return instrument.value_text(name, value)
    if isinstance(value, list):
        return ", ".join(value_label(name, v, instrument) for v in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(
            f"{field_label(k, instrument)}: {value_label(k, v, instrument)}"
            for k, v in value.items()
        )
    if name == "instrument_version" and isinstance(value, str):
        return version_title(value)
    named = _instrument_names(name, instrument) or VALUE_NAMES.get(name)
    return str(named.get(value, value) if named and isinstance(value, str) else value)
