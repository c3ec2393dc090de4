"""The kinds of job, registered by the domains that do the work (reports: a period's PDF;
cases and members: imports; exports: the source data file).

Jobs sit below those domains: a domain registers its kind when its module is
imported (create_app imports them all in ``register_tasks``), naming the task that
starts the work, the site roles needed to start it and what a download records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from review_app.accounts.models import User
    from review_app.jobs.models import Job


@dataclass(frozen=True)
class JobKind:
    """One kind of job: how it starts, who may start it, what its download records."""

    name: str
    # The queued task called with (job id, attempt) once the start is committed.
    first_task: Callable[[int, int], Any]
    # Site roles that may start or retry it (as core.access.site_roles names them).
    roles: tuple[str, ...]
    # Records the read of the result when its owner downloads it (an audit entry).
    on_download: Callable[[User, Job], None]
    unit: str = "cases"  # what the progress counts, in words
    # False for work whose input is gone once it failed (an import's upload): send it again.
    retry: bool = True


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Make ``kind`` known to start, retry and download; return it."""
    KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> JobKind:
    """Return the registered kind ``name``; raise LookupError for one nobody registered."""
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"No job kind {name!r} is registered") from None
