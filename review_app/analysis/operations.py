"""Saving an analysis by name, and deleting one's own; each with its audit entry."""

from typing import Any

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.analysis.forms import NAME_MAX
from review_app.analysis.models import SavedAnalysis
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.sites.models import Site


def save_analysis(
    actor: User, site: Site, name: str, params: dict[str, Any], words: dict[str, str]
) -> SavedAnalysis:
    """Keep the analysis ``params`` (its query arguments) under ``name`` for ``actor``.

    The caller has read ``params`` as a complete analysis (two questions and a time);
    ``words`` say the same for the audit log (the questions and the cases counted).
    """
    name = " ".join(name.split())
    if not name:
        raise OperationError("Name the analysis.", "name")
    if len(name) > NAME_MAX:
        raise OperationError(f"Use at most {NAME_MAX} characters.", "name")
    taken = db.session.scalar(
        select(SavedAnalysis.id).where(
            SavedAnalysis.site_id == site.id,
            SavedAnalysis.owner_id == actor.id,
            SavedAnalysis.name == name,
        )
    )
    if taken is not None:
        raise OperationError(
            f"You already have an analysis named “{name}”; choose another name.", "name"
        )
    analysis = SavedAnalysis(site_id=site.id, owner_id=actor.id, name=name, params=dict(params))
    db.session.add(analysis)
    db.session.flush()
    record(
        actor,
        "analysis.save",
        analysis,
        f"Analysis “{name}” saved",
        site=site,
        after={"name": name, **words},
    )
    return analysis


def delete_analysis(actor: User, analysis: SavedAnalysis, site: Site) -> None:
    """Delete a saved analysis; only the person who saved it may."""
    if analysis.owner_id != actor.id:
        raise OperationError("Only the person who saved an analysis can delete it.")
    record(
        actor,
        "analysis.delete",
        analysis,
        f"Saved analysis “{analysis.name}” deleted",
        site=site,
        before={"name": analysis.name},
    )
    db.session.delete(analysis)
    db.session.flush()
