"""What QA adds to the case page and to an item page (pages of domains below this one)."""

from flask import url_for

from review_app.accounts.models import User
from review_app.cases import workflow
from review_app.cases.models import Case
from review_app.cases.queries import is_assigned
from review_app.cases.signals import case_page_shown
from review_app.cases.states import CaseStatus
from review_app.core.roles import roles_of
from review_app.instruments.model import Instrument
from review_app.qa import holding_operations, queries
from review_app.qa.forms import TransitionForm
from review_app.ratings.models import FACE_SHEET
from review_app.ratings.signals import item_page_shown
from review_app.sites.models import Site


@case_page_shown.connect
def case_page_part(case: Case, instrument: Instrument, user: User, site: Site) -> dict:
    """Return the status actions, threads and QA hold of the case page (cases/show.html)."""
    roles = roles_of(user, site)
    threads = queries.threads(case)
    actions = workflow.available(
        case,
        roles,
        is_assigned(case, user.id),
        site.settings.qa_levels,
        user.id,
    )
    # Offered only once the open threads are resolved; the page says so instead.
    blocked = [a for a in actions if a.needs_no_open_threads and any(t.is_open for t in threads)]
    return {
        "actions": [a for a in actions if a not in blocked],
        "blocked": blocked,
        # A refused action comes back with its choices (the reason for eliminating).
        "transition_form": TransitionForm(
            draft_action=url_for("qa.change_status", case_id=case.id)
        ),
        "threads": threads,
        "qa_hold": holding_operations.panel(case, user, roles),
        "return_reason": queries.return_reasons({case.id}).get(case.id, "")
        if case.status == CaseStatus.RETURNED
        else "",
    }


@item_page_shown.connect
def item_page_part(case: Case, item_id: str, user: User, site: Site) -> dict:
    """What the QA part of an item page shows, and to whom (ratings/item.html)."""
    roles = roles_of(user, site)
    is_qa = bool(roles.qa_rank)
    threads = [t for t in queries.threads(case) if t.item_id == item_id]
    return {
        "threads": threads,
        "is_qa": is_qa,
        "can_comment": is_qa and case.status in CaseStatus.IN_QA,
        "can_reply": is_qa or (roles.is_reviewer and is_assigned(case, user.id)),
        "can_override": item_id != FACE_SHEET
        and site.settings.allow_qa_override
        and case.status in CaseStatus.HELD_BY_QA
        and workflow.holds(case.status, roles.qa_rank or 0)
        and not workflow.held_by_other(case, user.id),
    }
