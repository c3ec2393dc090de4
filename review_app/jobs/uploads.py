"""A file a job works on (an import's upload): kept in the job's folder until the job ends.

The page that takes the upload starts the job with ``start_upload_job``; its task
calls ``run_upload_import`` with the domain's own step (check the rows, write them),
which reads the file (``upload_of``), refuses bad rows (``refuse_rows``), marks the
job done with the rows and lets the file go once they are committed (``forget_upload``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, Protocol

from review_app.accounts.models import User
from review_app.core.unit import after_commit
from review_app.extensions import db
from review_app.jobs import operations as jobs
from review_app.jobs.models import Job
from review_app.sites.models import Site

UPLOAD = "upload"
GONE = "The uploaded file is no longer kept (the job stopped before); import the file again."


def upload_name(filename: str) -> str:
    """The file's own name, without any folder the browser sent or characters that print nothing."""
    name = "".join(ch for ch in filename if ch.isprintable())
    return PurePath(name.replace("\\", "/")).name or "the file"


def _upload_path(job: Job) -> Path:
    return jobs.job_folder(job.id, job.attempt) / UPLOAD


def start_upload_job(
    user: User,
    site: Site,
    kind: str,
    title: str,
    data: bytes,
    filename: str,
    scope: Sequence[Any] = (),
    params: dict[str, Any] | None = None,
) -> Job:
    """Start a job on an uploaded file and keep the file for it (or return the same one going).

    The same bytes sent twice within ``scope`` while the first job waits or runs (a
    double click) are one job: its key holds the file's digest.
    """
    digest = hashlib.sha256(data).hexdigest()[:20]
    job = jobs.start_job(
        user,
        site,
        kind,
        title,
        dedupe_key=":".join([kind, *map(str, scope), digest]),
        params={**(params or {}), "filename": upload_name(filename)},
    )
    # Written even when a double click found the job going: the bytes are the same, and
    # a stale folder of a rolled-back start is replaced.
    path = _upload_path(job)
    partial = path.with_suffix(".tmp")
    partial.write_bytes(data)
    partial.replace(path)
    return job


def upload_of(job: Job) -> Path:
    """The job's uploaded file; the job fails, saying so, when it is no longer kept."""
    path = _upload_path(job)
    if not path.is_file():
        raise jobs.JobFailure(GONE)
    return path


def refuse_rows(job_id: int, attempt: int, filename: str, errors: list[str]) -> None:
    """Fail the import with each bad row listed on its page; nothing was written."""
    jobs.fail(
        job_id,
        attempt,
        f"Nothing was imported from {filename}: fix what is listed and import it again.",
        problems=errors,
    )


def forget_upload(path: Path) -> None:
    """Delete the upload once the rows made from it are committed (kept until then)."""
    after_commit(lambda: path.unlink(missing_ok=True))


def no_download(user: User, job: Job) -> None:
    """An import has no file to download; nothing to record."""


Progress = Callable[[int], None]  # rows read, or rows checked so far


@dataclass(frozen=True)
class Imported:
    """What an import did, in words for its page, and each row's outcome if it keeps them."""

    message: str
    outcomes: list[tuple[str, str]] | None = None


class Importer(Protocol):
    """A domain's import step: check every row of ``data``, write them all or none.

    Returns what it did, and the bad rows (nothing written when there are any).
    ``rows_read`` and ``rows_checked`` report progress.
    """

    def __call__(
        self,
        job: Job,
        user: User,
        data: bytes,
        filename: str,
        *,
        rows_read: Progress,
        rows_checked: Progress,
    ) -> tuple[Imported | None, list[str]]: ...


def run_upload_import(job_id: int, attempt: int, apply: Importer) -> None:
    """Run an import job: its upload through ``apply``; done with the rows, or failed
    with each bad row listed, in the task's one transaction."""
    job = jobs.begin(job_id, attempt)
    if job is None:
        return  # cancelled before it started
    user = db.session.get(User, job.user_id)
    if user is None:
        raise jobs.JobFailure("The person who started this is gone.")
    path = upload_of(job)
    filename = job.params.get("filename", "the file")
    done, errors = apply(
        job,
        user,
        path.read_bytes(),
        filename,
        rows_read=lambda rows: jobs.plan(job_id, attempt, rows, parts=1, unit="rows checked"),
        rows_checked=lambda rows: jobs.step(job_id, attempt, rows),
    )
    if errors or done is None:
        refuse_rows(job_id, attempt, filename, errors)
        return
    jobs.finish_with_work(job_id, attempt, done.message, outcomes=done.outcomes)
    forget_upload(path)
