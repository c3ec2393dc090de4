"""One lookup of roles: core.roles.roles_of(user, site), in and outside a request."""

from flask import g
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.core.roles import RoleSet, keep_request_roles, roles_of
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.sites.queries import site_by_slug


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_member_and_qa_stand_for_any_role_and_either_level():
    assert RoleSet(qa_level=2).holds("qa") and RoleSet(qa_level=2).holds("member")
    assert RoleSet(is_observer=True).holds("member", "state_admin")
    assert not RoleSet(is_reviewer=True).holds("qa", "observer")
    assert not RoleSet().holds("member")


def test_outside_a_request_the_roles_come_from_the_memberships(demo):
    with demo.app_context():
        cfsr, cqi = site_by_slug("demo", "cfsr"), site_by_slug("demo", "cqi")
        qa2 = _user("qa2")
        assert roles_of(qa2, cfsr) == RoleSet(qa_level=2)
        assert roles_of(qa2, cfsr.id) == RoleSet(qa_level=2)  # a site id reads the same
        assert roles_of(qa2, cqi).is_empty  # no membership there
        membership = db.session.scalar(
            select(Membership).where(Membership.user_id == qa2.id, Membership.site_id == cfsr.id)
        )
        membership.is_active = False
        db.session.flush()
        assert roles_of(qa2, cfsr).is_empty  # an inactive membership gives no role
        assert roles_of(None, cfsr).is_empty
        db.session.rollback()


def test_a_request_reads_the_roles_of_its_user_once_and_others_from_the_database(demo):
    with demo.app_context():
        cfsr = site_by_slug("demo", "cfsr")
        qa, qa2 = _user("qa"), _user("qa2")
        with demo.test_request_context():
            # As the identity loader keeps them: the signed-in user's, read with the user.
            keep_request_roles(qa.id, {cfsr.id: RoleSet(is_observer=True)})
            assert roles_of(qa, cfsr) == RoleSet(is_observer=True)
            assert roles_of(qa2, cfsr) == RoleSet(qa_level=2)  # someone else: the database
            assert g.site_roles_user_id == qa.id
