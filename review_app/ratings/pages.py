"""What ratings add to the case page, a page of the cases domain below this one."""

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.cases.signals import case_page_shown
from review_app.instruments.model import Instrument
from review_app.ratings import queries
from review_app.ratings.completeness import gaps
from review_app.sites.models import Site


@case_page_shown.connect
def case_page_part(case: Case, instrument: Instrument, user: User, site: Site) -> dict:
    """Return the case's ratings and what it still needs, for cases/show.html."""
    ratings, rows, reviews = queries.case_ratings(case, instrument)
    return {
        "ratings": ratings,
        "reviews": reviews,
        "answers": rows,
        "gaps": gaps(instrument, ratings, rows, reviews),
    }
