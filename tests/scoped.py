"""A state administrator limited to the demo CQI site's Northern region, for tests."""

from sqlalchemy import select

from review_app.accounts.operations import create_user
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.operations import grant_access
from review_app.sites.models import Region
from review_app.sites.queries import site_by_slug
from tests.conftest import PASSWORD

LIMITED_ADMIN = "admin_north"


def make_limited_admin(app, username: str = LIMITED_ADMIN, region_code: str = "N") -> None:
    """Add ``username``, a state administrator of demo CQI limited to one region."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        region = db.session.scalar(
            select(Region).where(Region.site_id == site.id, Region.code == region_code)
        )
        user = create_user(None, username, "Ann North", PASSWORD)
        grant_access(None, site, user, RoleSet(is_state_admin=True), places=([region], []))
        db.session.commit()
