"""What happens elsewhere that people are told of: the signals of cases, QA and interviews.

Each receiver runs inside the change that sent the signal, so its notices are
committed with it, or undone with it.
"""

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.cases.signals import reviewers_assigned, reviewers_removed
from review_app.cases.states import CaseStatus
from review_app.extensions import db
from review_app.interviews.models import Interview
from review_app.interviews.signals import merge_ready
from review_app.jobs.models import Job
from review_app.jobs.signals import job_ended
from review_app.members.scope_queries import scopes_of
from review_app.notices.operations import notify, site_path
from review_app.notices.queries import qa_staff
from review_app.notices.states import NoticeKind
from review_app.notices.words import case_numbers
from review_app.qa.models import Thread
from review_app.qa.signals import case_handed_over, case_moved, case_reassigned, comment_added
from review_app.sites.models import Site

# The workflow actions after which a case waits, unheld, in a QA queue.
QUEUE_ACTIONS = {"submit", "to_level2", "reopen"}


def _case_link(case: Case) -> str:
    return site_path(case.period.site, "cases.show", case_id=case.id)


@case_moved.connect
def tell_of_move(case: Case, actor: User, action: str) -> None:
    """A return tells the reviewers; a case joining a QA queue tells the staff of that queue."""
    site, number = case.period.site, case.case_number
    if case.key_case_id is not None:
        return  # a practice copy: training scores it, nobody waits for it
    if action == "return":
        notify(
            case.reviewers,
            site,
            NoticeKind.CASE_RETURNED,
            f"Case {number} was returned to you by QA.",
            _case_link(case),
            actor=actor,
            local_site_id=case.local_site_id,
        )
    elif action in QUEUE_ACTIONS and case.qa_holder_id is None:
        level = 2 if case.status == CaseStatus.QA2 else 1
        notify(
            qa_staff(site, level),
            site,
            NoticeKind.QUEUE_ARRIVAL,
            f"Case {number} is waiting in the QA level {level} queue.",
            _case_link(case),
            actor=actor,
            local_site_id=case.local_site_id,  # a regional QA person hears of their region's
        )


@comment_added.connect
def tell_of_comment(thread: Thread, actor: User, site: Site) -> None:
    """A comment on a case tells its reviewers and the QA person holding it, not its author."""
    if thread.case_id is None:
        return  # interviews have their own page of threads waiting (the QA inbox)
    case = db.session.get(Case, thread.case_id)
    if case is None:
        return
    people = [*case.reviewers, *([case.qa_holder] if case.qa_holder else [])]
    notify(
        people,
        site,
        NoticeKind.NEW_COMMENT,
        f"New comment on case {case.case_number} from {actor.display_name}.",
        site_path(site, "ratings.item", case_id=case.id, item_id=thread.item_id)
        + f"#thread-{thread.id}",
        actor=actor,
        local_site_id=case.local_site_id,
    )


@case_reassigned.connect
def tell_of_reassignment(case: Case, actor: User, to_user: User) -> None:
    """The reviewer a case was moved to is told."""
    notify(
        [to_user],
        case.period.site,
        NoticeKind.CASE_ASSIGNED,
        f"Case {case.case_number} was moved to you.",
        _case_link(case),
        actor=actor,
        local_site_id=case.local_site_id,
    )


@case_handed_over.connect
def tell_of_hand_over(case: Case, actor: User, to_user: User) -> None:
    """The QA person a state administrator handed a case to is told."""
    level = 2 if case.status == CaseStatus.QA2 else 1
    notify(
        [to_user],
        case.period.site,
        NoticeKind.CASE_ASSIGNED,
        f"Case {case.case_number} was handed to you for QA level {level}.",
        _case_link(case),
        actor=actor,
        local_site_id=case.local_site_id,
    )


@reviewers_assigned.connect
def tell_of_assignment(site: Site, actor: User | None, assigned: list[tuple[Case, list[User]]]):
    """Each newly assigned reviewer is told: of one case by its number, of many at once.

    Only of the cases their access reaches (read in a few statements for all of them).
    """
    by_user: dict[int, tuple[User, list[Case]]] = {}
    for case, users in assigned:
        for user in users:
            by_user.setdefault(user.id, (user, []))[1].append(case)
    scopes = scopes_of(site.id, by_user) if by_user else {}
    for user_id, (user, every) in by_user.items():
        scope = scopes.get(user_id)
        cases = [case for case in every if scope and scope.covers(case.local_site_id)]
        if not cases:
            continue
        if len(cases) == 1:
            message = f"Case {cases[0].case_number} was assigned to you."
            link = site_path(site, "cases.show", case_id=cases[0].id)
        else:
            numbers = case_numbers([case.case_number for case in cases])
            message = f"{len(cases)} cases were assigned to you: {numbers}."
            link = site_path(site, "cases.mine")
        notify([user], site, NoticeKind.CASE_ASSIGNED, message, link, actor=actor)


@reviewers_removed.connect
def tell_of_removal(site: Site, actor: User | None, removed: list[tuple[Case, list[User]]]):
    """Each reviewer taken off a case is told, with a link to the cases still theirs."""
    for case, users in removed:
        notify(
            users,
            site,
            NoticeKind.CASE_ASSIGNED,
            f"Case {case.case_number} is no longer assigned to you.",
            site_path(site, "cases.mine"),
            actor=actor,
        )


@merge_ready.connect
def tell_of_merge(interview: Interview, actor: User) -> None:
    """Every supporting note-taker is done: the official note-taker may merge."""
    site = interview.period.site
    notify(
        [interview.official_note_taker],
        site,
        NoticeKind.MERGE_WAITING,
        f"Every note-taker is done with the notes of the interview of "
        f"{interview.held_on.isoformat()}: they are waiting for you to merge them.",
        site_path(site, "interviews.show", interview_id=interview.id),
        actor=actor,
        local_site_id=interview.local_site_id,
    )


@job_ended.connect
def tell_of_job(job: Job, succeeded: bool) -> None:
    """A job that finished or failed tells the person who started it."""
    if not succeeded:
        outcome = "failed; its page says why"
    else:  # an import's result is its rows, not a file
        outcome = "is ready to download" if job.has_download else "is done"
    notify(
        [job.user],
        job.site,
        NoticeKind.JOB_DONE,
        f"{job.title} {outcome}.",
        site_path(job.site, "jobs.show", job_id=job.id),
    )
