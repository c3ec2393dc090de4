"""A Site Leader's pages (state administrators' too): Assign cases and the progress board."""

from dataclasses import dataclass, field
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from review_app.accounts.models import User
from review_app.cases import operations
from review_app.cases.facts import reviewer_reach
from review_app.cases.loaders import load_case
from review_app.cases.models import Case
from review_app.cases.queries import reviewers as site_reviewers
from review_app.cases.states import STATUS_LABELS, CaseStatus
from review_app.core.access import site_roles
from review_app.core.errors import OperationError
from review_app.core.inputs import whole_number
from review_app.core.scope import Scope, current_scope
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, int_arg, page_number
from review_app.extensions import db
from review_app.leaders import queries
from review_app.periods.queries import periods as site_periods
from review_app.sites.queries import local_sites_in_scope

bp = site_blueprint("leaders", __name__, "/cases")
PER_PAGE = 50
OPEN_STATUSES = [status for status in CaseStatus if status not in CaseStatus.CLOSED]


@dataclass
class Refusal:
    """Why one case's assignment was refused, and what its form held, to show it again."""

    case_id: int
    message: str
    reviewer_id: int | None
    replace_id: int | None


def _filters() -> queries.AssignFilters:
    status = request.args.get("status", "")
    scope = current_scope(g.site)
    local_site_id = int_arg("local_site")
    return queries.AssignFilters(
        local_site_id=local_site_id if local_site_id and scope.covers(local_site_id) else None,
        status=CaseStatus(status) if status in OPEN_STATUSES else None,
        unassigned=request.args.get("unassigned") == "1",
    )


@dataclass
class Candidates:
    """The site's reviewers and the local sites each reaches, read once for the page."""

    people: list[User]
    reach: dict[int, Scope] = field(default_factory=dict)

    def of(self, case: Case) -> list[User]:
        """Return the reviewers who may be given the case (not those it already has)."""
        assigned = {a.user_id for a in case.assignments}
        return [
            user
            for user in self.people
            if user.id not in assigned
            and user.id in self.reach
            and self.reach[user.id].covers(case.local_site_id)
        ]


def _assign_page(refusal: Refusal | None = None, status: int = 200):
    filters = _filters()
    page = page_number()
    rows, total = queries.assignable(g.site, filters, page, PER_PAGE)
    return render_template(
        "leaders/assign.html",
        rows=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        filters=filters,
        local_sites=local_sites_in_scope(g.site),
        statuses=[(s, STATUS_LABELS[s]) for s in OPEN_STATUSES],
        candidates=Candidates(site_reviewers(g.site), reviewer_reach(g.site.id)),
        versions={case.id: operations.assignment_version(case) for case in rows},
        refusal=refusal,
        errors=[refusal.message] if refusal else [],
        args=_list_args(filters),
    ), status


def _list_args(filters: queries.AssignFilters) -> dict[str, Any]:
    """Return the list's filters as query arguments (only these: never any other name)."""
    args: dict[str, Any] = {}
    if filters.local_site_id:
        args["local_site"] = filters.local_site_id
    if filters.status:
        args["status"] = filters.status.value
    if filters.unassigned:
        args["unassigned"] = "1"
    return args


@bp.route("/assign")
@site_roles("site_leader", "state_admin")
def assign():
    return _assign_page()


@bp.route("/assign/<int:case_id>", methods=["POST"])
@site_roles("site_leader", "state_admin")
def assign_case(case_id: int):
    """Give one case a reviewer, beside its reviewers or in place of one of them."""
    case = load_case(case_id)  # 404 outside the person's scope
    chosen = whole_number(request.form.get("reviewer"))
    replace = whole_number(request.form.get("replace")) or None
    with attempt() as outcome:
        operations.assign_reviewers(
            current_user, case, _new_reviewers(case, chosen, replace), request.form.get("seen", "")
        )
    if outcome.error is None:
        names = ", ".join(user.display_name for user in case.reviewers)
        flash(f"Case {case.case_number} is now assigned to {names}.", "success")
        back = _list_args(_filters())  # the list as it was: its filters and page
        if (page := page_number()) > 1:
            back["page"] = page
        return redirect(url_for("leaders.assign", **back))
    refusal = Refusal(case.id, outcome.error.message, chosen, replace)
    return _assign_page(refusal, outcome.status)


def _new_reviewers(case: Case, chosen: int | None, replace: int | None) -> list[User]:
    """Return the case's reviewers with the chosen one added, in place of ``replace`` if given.

    Only a reviewer of this site can be chosen: any other id answers as no choice, so the
    form tells nothing of accounts elsewhere.
    """
    is_reviewer_here = chosen is not None and chosen in reviewer_reach(case.site_id, [chosen])
    user = db.session.get(User, chosen) if is_reviewer_here else None
    if user is None:
        raise OperationError(f"Choose a reviewer for case {case.case_number}.", "reviewer")
    current = case.reviewers
    if replace is not None and replace not in {u.id for u in current}:
        raise OperationError("Choose one of the case's reviewers to replace.", "replace")
    return [u for u in current if u.id != replace] + [user]


@bp.route("/progress")
@site_roles("site_leader", "state_admin", "observer")
def board():
    periods = site_periods(g.site)
    period_id = int_arg("period")
    period_id = period_id if period_id in {p.id for p in periods} else None
    two_levels = g.site.settings.qa_levels == 2
    return render_template(
        "leaders/board.html",
        board=queries.board(g.site, period_id),
        periods=periods,
        period_id=period_id,
        statuses=[status for status in CaseStatus if status != CaseStatus.QA2 or two_levels],
        queues=[
            (status, queries.QUEUE_LABELS[status])
            for status in queries.QUEUES
            if status != CaseStatus.QA2 or two_levels
        ],
        most_listed=queries.MOST_THREAD_CASES,
    )
