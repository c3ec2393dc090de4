"""Memberships limited to regions and local sites: what they reach and what is refused."""

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.core.errors import OperationError
from review_app.core.roles import RoleSet
from review_app.core.scope import WHOLE_SITE, Scope, acting_in, in_scope, scope_of
from review_app.extensions import db
from review_app.members.identity import membership_scope
from review_app.members.models import Membership
from review_app.members.operations import set_roles
from review_app.members.scope_operations import set_scope
from review_app.sites.models import LocalSite, Region
from review_app.sites.queries import site_by_slug
from tests.conftest import login


def _user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username == name))


def _membership(username: str) -> Membership:
    site = site_by_slug("demo", "cqi")
    return db.session.scalar(
        select(Membership).where(
            Membership.site_id == site.id, Membership.user_id == _user(username).id
        )
    )


def _place(model, site, code: str):
    return db.session.scalar(select(model).where(model.site_id == site.id, model.code == code))


def test_a_region_reaches_its_local_sites_as_they_are_now(demo):
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        scope = scope_of(_user("qa_north"), site)
        names = {db.session.get(LocalSite, i).name for i in scope.local_site_ids}
        assert names == {"Adams County", "Baker County"} and scope.label == "Northern region"
        assert scope_of(_user("qa"), site) == WHOLE_SITE
        assert scope_of(_user("qa_north"), site_by_slug("demo", "cfsr")) == Scope(frozenset())
        clark = _place(LocalSite, site, "003")
        clark.region = _place(Region, site, "N")
        db.session.flush()
        widened = membership_scope(_membership("qa_north"))
        assert clark.id in widened.local_site_ids


def test_rows_read_inside_a_scope(demo, both_regions):
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        everything = db.session.scalars(select(Case).where(in_scope(Case, site))).all()
        north = scope_of(_user("qa_north"), site)
        with acting_in(north):
            inside = db.session.scalars(select(Case).where(in_scope(Case, site))).all()
        assert inside and len(inside) < len(everything)
        assert {case.local_site.region.code for case in inside} == {"N"}
        with acting_in(Scope(frozenset())):
            assert not db.session.scalars(select(Case).where(in_scope(Case, site))).all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m, site, other: (True, [], []), "Choose at least one region or local site"),
        (lambda m, site, other: (True, [], [_place(LocalSite, other, "001")]), "Not a region"),
        (lambda m, site, other: (True, [_place(Region, other, "N")], []), "Not a region"),
    ],
)
def test_bad_scopes_are_refused_and_change_nothing(demo, change, message):
    with demo.app_context():
        site, other = site_by_slug("demo", "cqi"), site_by_slug("demo", "cfsr")
        membership = _membership("qa_north")
        with pytest.raises(OperationError, match=message):
            set_scope(None, membership, *change(membership, site, other))
        assert membership_scope(membership).label == "Northern region"


def test_a_site_leader_leads_named_local_sites(demo):
    with demo.app_context():
        leader = _membership("leader")
        with pytest.raises(OperationError, match="A Site Leader leads named local sites"):
            set_scope(None, leader, False, [], [])
        reviewer = _membership("reviewer")
        with pytest.raises(OperationError, match="A Site Leader leads named local sites"):
            set_roles(None, reviewer, RoleSet(is_site_leader=True))
        assert not reviewer.is_site_leader and leader.is_limited


def test_a_limited_actor_cannot_give_more_than_they_reach(demo):
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        membership = _membership("qa_north")
        south = _place(Region, site, "S")
        with pytest.raises(OperationError, match="you can give access inside it"):
            set_scope(_user("leader"), membership, True, [south], [])
        with pytest.raises(OperationError, match="you can give access inside it"):
            set_scope(_user("leader"), membership, False, [], [])
        set_scope(_user("admin"), membership, True, [south], [])
        assert membership_scope(membership).label == "Southern region"


def test_a_case_outside_the_scope_answers_as_if_it_did_not_exist(demo, both_regions, client):
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        cases = db.session.scalars(select(Case).where(Case.site_id == site.id)).all()
        inside = next(c.id for c in cases if c.local_site.region.code == "N")
        outside = next(c.id for c in cases if c.local_site.region.code == "S")
    login(client, "qa_north")
    assert client.get(f"/demo/cqi/cases/{inside}").status_code == 200
    assert client.get(f"/demo/cqi/cases/{outside}").status_code == 404
    assert client.get("/demo/cqi/cases/999999").status_code == 404
    page = client.get("/demo/cqi/").get_data(as_text=True)
    assert "Your access on Demo State CQI: QA, level 1 - Northern region only" in page
