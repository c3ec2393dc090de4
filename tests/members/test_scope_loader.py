"""The scope loader reads a person's scope in one statement, the same as from the membership."""

from sqlalchemy import select

from review_app.extensions import db
from review_app.members.identity import membership_scope, scope_on
from review_app.members.models import Membership
from review_app.sites.queries import site_by_slug
from tests.core.test_query_counts import counted
from tests.scoped import user


def test_the_loader_reads_the_membership_scope_in_one_statement(demo):
    with demo.app_context():
        site, other = site_by_slug("demo", "cqi"), site_by_slug("demo", "cfsr")
        for username in ("qa_north", "leader", "qa"):
            person = user(username)
            membership = db.session.scalar(
                select(Membership).where(
                    Membership.site_id == site.id, Membership.user_id == person.id
                )
            )
            expected, user_id, site_id = membership_scope(membership), person.id, site.id
            db.session.expire_all()
            with counted(demo, fresh_pages=False) as statements:
                assert scope_on(user_id, site_id) == expected, username
            assert len(statements) == 1, statements
        assert scope_on(user("qa_north").id, other.id).local_site_ids == frozenset()
