"""Every change to cases: adding, importing, editing, assigning, submitting."""

from collections.abc import Callable

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.cases.bulk_operations import add_cases
from review_app.cases.facts import CaseFacts, check_facts, reach_error, reviewer_reach
from review_app.cases.importing import check_rows, read_rows
from review_app.cases.models import Assignment, Case, CaseRace
from review_app.cases.signals import (
    case_added,
    case_facts_changed,
    reviewers_assigned,
    reviewers_removed,
)
from review_app.cases.states import CaseStatus
from review_app.core.errors import OperationError, StateChanged
from review_app.core.locking import lock_row, update_if_unchanged
from review_app.core.models import utcnow
from review_app.core.roles import roles_of
from review_app.core.scope import actor_scope, scope_of
from review_app.core.tables import TableError, messages
from review_app.extensions import db
from review_app.periods.models import ReviewPeriod
from review_app.periods.operations import hold_open

CLOSED = "This review period is closed: reopen it to add cases."


def outside_scope(actor: User | None, site_id: int, local_site_id: int | None) -> str | None:
    """Say why the actor may not place a case in this local site, or None when they may."""
    scope = actor_scope(actor, site_id)
    if local_site_id is None or scope.covers(local_site_id):
        return None
    return f"Choose a local site of {scope.label or 'your access'}: you manage cases there only."


def move_status(
    case: Case, status: str, *, refused: str, expected_version: int | None = None
) -> None:
    """Change the status unless someone changed it first (the status version seen before).

    One guarded UPDATE: the check and the write cannot be parted. ``refused`` is
    what the person is told when someone was quicker.
    """
    version = case.status_version if expected_version is None else expected_version
    update_if_unchanged(
        case,
        Case.status_version == version,
        values={"status": status, "status_version": version + 1, "status_changed_at": utcnow()},
        refused=refused,
    )


def snapshot(case: Case) -> dict:
    return case.audit_fields()


def create_case(actor: User | None, period: ReviewPeriod, facts: CaseFacts) -> Case:
    """Add a case to a period, with its items to rate; raise OperationError on bad facts."""
    hold_open(period, CLOSED)
    errors = check_facts(period, facts)
    if errors:
        raise OperationError(next(iter(errors.values())), next(iter(errors)))
    local_site_id = facts.local_site.id if facts.local_site else None
    if refused := outside_scope(actor, period.site_id, local_site_id):
        raise OperationError(refused, "local_site")
    return _add(actor, period, facts)


def _add(actor: User | None, period: ReviewPeriod, facts: CaseFacts) -> Case:
    case = Case(
        site_id=period.site_id,
        period=period,
        local_site=facts.local_site,
        case_number=facts.case_number.strip(),
        case_type=facts.case_type,
        child_name=facts.child_name.strip(),
        child_birth_date=facts.child_birth_date,
        family_name=facts.family_name.strip(),
        opened_on=facts.opened_on,
        removal_on=facts.removal_on,
        closed_on=facts.closed_on,
        pur_start=facts.pur_start if period.pur_start is None else None,
        child_sex=facts.child_sex,
        child_hispanic=facts.child_hispanic,
    )
    case.races = [CaseRace(race=race) for race in dict.fromkeys(facts.child_races)]
    case.assignments = [Assignment(user=user) for user in dict.fromkeys(facts.reviewers)]
    db.session.add(case)
    db.session.flush()
    case_added.send(case, actor=actor)  # ratings adds the items to rate
    reviewers_assigned.send(period.site, actor=actor, assigned=[(case, case.reviewers)])
    record(
        actor,
        "case.create",
        case,
        f"Added case {case.case_number}",
        site=period.site,
        after=snapshot(case),
    )
    return case


def update_case(actor: User | None, case: Case, facts: CaseFacts) -> None:
    """Change a case's facts and reviewers."""
    lock_row(case)  # a reviewer's save waits, then sees whether they are still assigned
    if outside_scope(actor, case.site_id, case.local_site_id):
        # The pages never show such a case (load_case); a caller must not reach past either.
        raise OperationError("This case is outside the local sites you manage.")
    errors = check_facts(case.period, facts, case.id)
    if errors:
        raise OperationError(next(iter(errors.values())), next(iter(errors)))
    local_site_id = facts.local_site.id if facts.local_site else None
    if refused := outside_scope(actor, case.site_id, local_site_id):
        raise OperationError(refused, "local_site")
    if (case.is_key or case.key_case_id) and {u.id for u in facts.reviewers} != {
        a.user_id for a in case.assignments
    }:
        raise OperationError(
            "An answer key has no reviewers, and a practice copy stays with its trainee.",
            "reviewers",
        )
    assert facts.local_site is not None  # check_facts refuses a case without one
    before = snapshot(case)
    for name in (
        "case_type",
        "child_birth_date",
        "opened_on",
        "removal_on",
        "closed_on",
        "child_sex",
        "child_hispanic",
    ):
        setattr(case, name, getattr(facts, name))
    _set_races(case, facts.child_races)
    case.case_number, case.child_name = facts.case_number.strip(), facts.child_name.strip()
    case.family_name, case.local_site = facts.family_name.strip(), facts.local_site
    if case.period.pur_start is None:
        case.pur_start = facts.pur_start
    set_reviewers(actor, case, facts.reviewers)  # check_facts checked their reach
    case_facts_changed.send(case, actor=actor, before=before)  # ratings follow the facts
    if before != snapshot(case):
        record(
            actor,
            "case.update",
            case,
            f"Edited case {case.case_number}",
            site=case.period.site,
            before=before,
            after=snapshot(case),
        )


def _set_races(case: Case, races: list[str]) -> None:
    """Make ``races`` the child's races, keeping the rows of those already recorded."""
    wanted = list(dict.fromkeys(races))
    case.races = [row for row in case.races if row.race in wanted] + [
        CaseRace(race=race) for race in wanted if race not in case.child_races
    ]


def set_reviewers(actor: User | None, case: Case, reviewers: list[User]) -> None:
    """Make ``reviewers`` the case's reviewers and tell those added and those taken off.

    The one way a case's reviewers change after it is added: the case's edit form
    (``update_case``) and the Assign cases page (``assign_reviewers``). The caller
    has locked the case's row and checked the reviewers' reach; it records the change.
    """
    wanted = {user.id: user for user in reviewers}
    removed = [a.user for a in case.assignments if a.user_id not in wanted]
    case.assignments = [a for a in case.assignments if a.user_id in wanted]
    have = {a.user_id for a in case.assignments}
    added = [user for uid, user in wanted.items() if uid not in have]
    case.assignments.extend(Assignment(user=user) for user in added)
    if not added and not removed:
        return
    db.session.flush()
    site = case.period.site
    if added:
        reviewers_assigned.send(site, actor=actor, assigned=[(case, added)])
    if removed:
        reviewers_removed.send(site, actor=actor, removed=[(case, removed)])


def assignment_version(case: Case) -> str:
    """Return what an assignment form saw of the case: its status version and reviewers."""
    ids = sorted(assignment.user_id for assignment in case.assignments)
    return f"{case.status_version}:{','.join(map(str, ids))}"


def assign_reviewers(actor: User, case: Case, reviewers: list[User], seen: str) -> None:
    """Give the case these reviewers (the Assign cases page); audited, the reviewers told.

    ``seen`` is ``assignment_version`` as the page showed it: when the case's status or
    reviewers changed since, nothing is done. Refused for a case outside the actor's
    scope, a closed case, an answer key or practice copy, and a reviewer whose own
    scope does not reach the case's local site.
    """
    site = case.period.site
    roles = roles_of(actor, site)
    if not (roles.is_state_admin or roles.is_site_leader):
        raise OperationError("Only state administrators and Site Leaders assign cases.")
    lock_row(case)  # the checks below and the write see the same case
    if not scope_of(actor, site).covers(case.local_site_id):
        raise OperationError("This case is outside the local sites you work with.")
    if assignment_version(case) != seen:
        raise StateChanged(
            f"Someone changed case {case.case_number} a moment ago; nothing was done. "
            "Look at its reviewers again."
        )
    if case.status in CaseStatus.CLOSED:
        raise OperationError(
            f"Case {case.case_number} is {case.status_label.lower()}: its reviewers stay as "
            "they are."
        )
    if case.is_key or case.key_case_id:
        raise OperationError(
            "An answer key has no reviewers, and a practice copy stays with its trainee."
        )
    if not reviewers:
        raise OperationError("Choose a reviewer.", "reviewer")
    kept = frozenset(a.user_id for a in case.assignments)
    reach = reviewer_reach(site.id, [user.id for user in reviewers])
    refused = reach_error(case.local_site, reviewers, reach, kept)
    if refused:
        raise OperationError(refused, "reviewer")
    before = sorted(user.username for user in case.reviewers)
    if {user.id for user in reviewers} == kept:
        raise OperationError("The case already has these reviewers; nothing changed.", "reviewer")
    set_reviewers(actor, case, reviewers)
    names = ", ".join(user.display_name for user in case.reviewers)
    record(
        actor,
        "case.assign",
        case,
        f"Case {case.case_number} assigned to {names}",
        site=site,
        before={"reviewers": before},
        after={"reviewers": sorted(user.username for user in case.reviewers)},
    )


def import_cases(
    actor: User | None,
    period: ReviewPeriod,
    filename: str,
    data: bytes,
    rows_read: Callable[[int], None] | None = None,
    rows_checked: Callable[[int], None] | None = None,
) -> tuple[list[Case], list[str]]:
    """Add every case in a CSV or XLSX sample, or none when any row is bad.

    Return the cases added and the list of bad rows, or the file's fault (empty on success).
    Run by the import job (cases/import_job.py); ``rows_read`` is told how many rows
    the file holds, ``rows_checked`` how many more were checked, for its progress.
    """
    if not period.is_open:
        raise OperationError(CLOSED)  # said before the file is read; held below
    try:
        rows = read_rows(filename, data)
    except TableError as error:
        return [], messages(error)
    if rows_read is not None:
        rows_read(len(rows))
    scope = actor_scope(actor, period.site_id)
    facts_list, errors = check_rows(period, rows, rows_checked, scope)
    if errors:
        return [], errors
    # Held open from the writes on, not during the checks: on SQLite the lock is the
    # database's, and the checks' progress is committed apart meanwhile.
    hold_open(period, CLOSED)
    cases = add_cases(actor, period, facts_list)
    record(
        actor,
        "case.import",
        period,
        f"Imported {len(cases)} case(s) into {period.name}",
        site=period.site,
        after={"count": len(cases), "cases": [case.case_number for case in cases]},
    )
    return cases, []
