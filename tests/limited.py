"""A state administrator of the demo CQI site limited to the Northern region, for tests."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.sites.models import LocalSite, Region
from review_app.sites.queries import site_by_slug
from tests.conftest import PASSWORD

CQI = "/demo/cqi"


def make_limited_admin(app, username: str = "admin_north") -> int:
    """Add a state administrator of CQI limited to the Northern region; return their id."""
    from review_app.accounts.operations import create_user
    from review_app.core.roles import RoleSet
    from review_app.members.operations import grant_access

    with app.app_context():
        site = site_by_slug("demo", "cqi")
        north = db.session.scalar(
            select(Region).where(Region.site_id == site.id, Region.code == "N")
        )
        user = create_user(None, username, "Ada North", PASSWORD)
        grant_access(None, site, user, RoleSet(is_state_admin=True), places=([north], []))
        db.session.commit()
        return user.id


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def local_site_id(app, name: str) -> int:
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        return db.session.scalar(
            select(LocalSite.id).where(LocalSite.site_id == site.id, LocalSite.name == name)
        )


def cqi_case_id(app, local_site: str) -> int:
    """Return the id of a CQI case in the named local site (first by id)."""
    with app.app_context():
        statement = (
            select(Case.id)
            .join(LocalSite, LocalSite.id == Case.local_site_id)
            .where(Case.site_id == site_by_slug("demo", "cqi").id, LocalSite.name == local_site)
            .order_by(Case.id)
        )
        return db.session.scalar(statement)
