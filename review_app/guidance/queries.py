"""Reads for the glossary: which instrument a site uses, and search over its guidance."""

from dataclasses import dataclass, field

from sqlalchemy import select

from review_app.extensions import db
from review_app.instruments.catalog import available_versions
from review_app.instruments.model import Instrument
from review_app.instruments.schema import Item, Question
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import Site


@dataclass
class ItemEntry:
    """What an item contributes to the glossary: all of it, or only the parts that match."""

    item: Item
    purpose: bool
    terms: list[tuple[str, str]] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


def site_versions(site: Site) -> list[str]:
    """Return the instrument versions the site's periods use, newest period first."""
    rows = db.session.scalars(
        select(ReviewPeriod.instrument_version)
        .where(ReviewPeriod.site_id == site.id)
        .order_by(ReviewPeriod.pur_end.desc(), ReviewPeriod.id.desc())
    )
    return list(dict.fromkeys(rows))


def glossary_versions(site: Site) -> list[tuple[str, str]]:
    """Return (version, title) worth offering: the site's own first, then any other on file."""
    on_file = {info.version: info.title for info in available_versions()}
    used = [v for v in site_versions(site) if v in on_file]
    ordered = used + [v for v in on_file if v not in used]
    return [(v, on_file[v]) for v in ordered]


def _matches(words: list[str], *texts: str) -> bool:
    haystack = " ".join(texts).casefold()
    return all(word in haystack for word in words)


def search(instrument: Instrument, query: str) -> list[ItemEntry]:
    """Return each item with its terms and question guidance that contain every word of query.

    An empty query returns everything. A match on the item's title or purpose keeps the
    item's purpose; a term or question is kept when its own text matches.
    """
    words = query.casefold().split()
    found = []
    for item in instrument.items.values():
        title = f"Item {item.number} {item.title}"
        entry = ItemEntry(item, purpose=_matches(words, title, item.purpose))
        entry.terms = [
            (term, meaning)
            for term, meaning in item.definitions.items()
            if _matches(words, term, meaning)
        ]
        entry.questions = [
            q
            for q in instrument.item_questions(item)
            if (q.guidance or q.help) and _matches(words, q.id, q.text, q.help, q.guidance)
        ]
        if entry.purpose or entry.terms or entry.questions:
            found.append(entry)
    return found
