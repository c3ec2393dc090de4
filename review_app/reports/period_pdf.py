"""The PDF of a period's finalized cases, made by the job queue in parts and joined.

``start_period_pdf`` queues the job. Its first task counts the cases the person may
see and queues a cover part and one part per few cases; each part renders its cases
one by one (one step of progress per case) into a PDF file of its own, so several
workers share the work. The part that finishes last joins the files, in order, into
one with pypdf.
"""

from __future__ import annotations

import functools
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import g
from pypdf import PdfWriter

from review_app.accounts.models import User
from review_app.audit.operations import record_read
from review_app.cases.permissions import can_view
from review_app.core.pdf import PdfError, download_name, render_pdf
from review_app.extensions import db
from review_app.jobs import operations as jobs
from review_app.jobs.kinds import JobKind, register
from review_app.jobs.models import Job
from review_app.jobs.tasks import job_task
from review_app.periods.models import ReviewPeriod
from review_app.reports import queries
from review_app.reports.labels import pdf_labels

if TYPE_CHECKING:
    from review_app.sites.models import Site

KIND = "period_pdf"
PART_CASES = 8  # cases per part: enough parts for every worker, few enough files to join
# Who may start it: everyone of the site but reviewers, as the reports page (reports/views.py).
ROLES = ("state_admin", "qa", "observer")


def start_period_pdf(user: User, period: ReviewPeriod) -> Job:
    """Queue the PDF of ``period``'s finalized cases for ``user`` (or return the one going)."""
    return jobs.start_job(
        user,
        period.site,
        KIND,
        f"PDF of the finalized cases of {period.name}",
        dedupe_key=f"{KIND}:{period.id}",
        params={"period_id": period.id},
    )


def _context(job: Job) -> tuple[ReviewPeriod, User]:
    """Load the job's period and owner, and make its site the templates' current site."""
    g.site = job.site
    period = db.session.get(ReviewPeriod, job.params["period_id"])
    user = db.session.get(User, job.user_id)
    if period is None or user is None or period.site_id != job.site_id:
        raise jobs.JobFailure("The review period or the person who started this is gone.")
    return period, user


def _cases(job: Job, ids: list[int] | None = None) -> list[Any]:
    period, user = _context(job)
    return [case for case in queries.finalized_cases(period, ids) if can_view(case, user)]


def _render(job: Job, **context: Any) -> bytes:
    period, _ = _context(job)
    try:
        return render_pdf(
            "reports/period_pdf.html",
            period=period,
            printed_at=job.created_at,
            **context,
            **pdf_labels(),
        )
    except PdfError:
        raise jobs.JobFailure("A page of the PDF could not be made; nothing was kept.") from None


def _part_path(folder: Path, index: int) -> Path:
    return folder / f"part-{index:04d}.pdf"


@job_task()
def plan_period_pdf(job_id: int, attempt: int) -> None:
    """Count the cases, then queue the cover and a part per few cases."""
    job = jobs.begin(job_id, attempt)
    if job is None:
        return  # cancelled before it started
    cases = _cases(job)
    ids = [case.id for case in cases]
    chunks = [ids[at : at + PART_CASES] for at in range(0, len(ids), PART_CASES)]
    jobs.plan(
        job_id,
        attempt,
        total=len(ids),
        parts=len(chunks) + 1,
        note={"period": job.title, "case_numbers": [case.case_number for case in cases]},
    )
    # The first cases first (a free worker shows a case done soonest), then the cover (a
    # list of every case, the longest part: done beside the others, not last), then the rest.
    parts = list(enumerate(chunks, start=1))
    jobs.queue_after_commit(
        job_id,
        attempt,
        [
            functools.partial(period_pdf_part, job_id, attempt, index, chunk)
            for index, chunk in [*parts[:1], (0, ids), *parts[1:]]
        ],
    )


@job_task()
def period_pdf_part(job_id: int, attempt: int, index: int, case_ids: list[int]) -> None:
    """Render one part (0: the cover) to its own file; the last part done joins them all."""
    job = jobs.running(job_id, attempt)
    folder = jobs.job_folder(job_id, attempt)
    target = _part_path(folder, index)
    if not target.exists():  # a retried part whose file was written counts it once
        cases = _cases(job, case_ids)
        period, _ = _context(job)
        summaries = queries.summaries(cases, period)
        writer = PdfWriter()
        if index == 0:
            writer.append(BytesIO(_render(job, cover=True, listed=summaries, summaries=[])))
        else:
            with jobs.counting(job_id, attempt) as step:
                for summary in summaries:
                    writer.append(
                        BytesIO(_render(job, cover=False, listed=[], summaries=[summary]))
                    )
                    step()
        partial = target.with_suffix(".tmp")
        writer.write(partial)
        partial.replace(target)
    if jobs.part_done(job_id, attempt):
        _join(job, folder)


def _join(job: Job, folder: Path) -> None:
    """Join the parts in order into the result and mark the job done."""
    period, _ = _context(job)
    try:
        writer = PdfWriter()
        parts = sorted(folder.glob("part-*.pdf"))
        for part in parts:
            writer.append(str(part))
        partial = folder / "result.tmp"
        writer.write(partial)
        partial.replace(folder / "result.pdf")
    except Exception:
        jobs.part_undone(job.id, job.attempt)  # a retry of this part joins again
        raise
    for part in parts:
        part.unlink(missing_ok=True)
    jobs.finish(
        job.id,
        job.attempt,
        f"{folder.name}/result.pdf",
        download_name(period.name, "finalized-cases"),
    )


def _record_download(user: User, job: Job) -> None:
    case_numbers = job.params.get("case_numbers", [])
    site: Site = job.site
    record_read(
        user,
        "download.period_summaries",
        job,
        f"Downloaded the rating summaries of {len(case_numbers)} finalized cases ({job.title})",
        site=site,
        details={"job": job.title, "case_numbers": case_numbers, "format": "pdf"},
    )


register(JobKind(KIND, plan_period_pdf, ROLES, _record_download, unit="cases"))
