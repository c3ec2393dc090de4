"""Local sites (counties, offices) of a site: listed to members, kept by state administrators."""

import pytest
from sqlalchemy import select

from review_app.extensions import db
from review_app.sites.models import Jurisdiction, LocalSite, Site
from tests.conftest import login

LOCAL = "/demo/cqi/local-sites"


@pytest.fixture
def admin(demo, client):
    login(client, "admin")
    return client


def _local(app, code: str, kind="cqi", jurisdiction="demo") -> LocalSite | None:
    with app.app_context():
        return db.session.scalar(
            select(LocalSite)
            .join(LocalSite.site)
            .join(Site.jurisdiction)
            .where(LocalSite.code == code, Site.kind == kind, Jurisdiction.code == jurisdiction)
        )


def _save(client, path="/new", **fields):
    return client.post(
        f"{LOCAL}{path}", data={"code": "005", "name": "Eaton County", "is_active": "y", **fields}
    )


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_members_read_the_list_without_edit_links(demo, client):
    login(client, "reviewer")
    page = _text(client.get(LOCAL))
    assert "Adams County" in page and "Dawson County" in page
    assert "Add a local site" not in page and "Edit" not in page
    assert client.get(f"{LOCAL}/new").status_code == 403
    assert _save(client).status_code == 403
    assert (
        client.post(
            f"{LOCAL}/{_local(demo, '001').id}", data={"code": "009", "name": "X"}
        ).status_code
        == 403
    )
    assert _local(demo, "005") is None and _local(demo, "001").name == "Adams County"


def test_add_a_local_site(admin, demo):
    response = _save(admin, code=" 005", name="  Eaton County ")
    assert response.status_code == 422  # a space in the code is refused
    assert "Use letters, digits, dots, dashes or underscores." in _text(response)
    response = _save(admin, name="  Eaton County ")
    assert response.status_code == 302
    page = _text(admin.get(response.location))
    assert "Local site Eaton County added." in page and "005" in page
    local = _local(demo, "005")
    assert local.name == "Eaton County" and local.is_active


def test_an_inactive_local_site_can_be_added(admin, demo):
    assert _save(admin, is_active="").status_code == 302
    assert not _local(demo, "005").is_active


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"code": "001"}, "Another local site of this site already has the code &#39;001&#39;."),
        ({"name": "adams county"}, "Another local site of this site already has the name"),
        ({"code": ""}, "Enter a short code for the local site."),
        ({"name": "x" * 121}, "Field cannot be longer than 120 characters."),
        ({"code": "0" * 21}, "Field cannot be longer than 20 characters."),
    ],
)
def test_a_bad_or_duplicate_local_site_is_refused_and_the_form_kept(admin, demo, fields, message):
    response = _save(admin, **fields)
    assert response.status_code == 422
    page = _text(response)
    assert message in page
    assert 'value="Eaton County"' in page or "name" in fields
    assert _local(demo, "005") is None


def test_the_error_summary_lists_the_fields_in_the_order_of_the_page(admin, demo):
    page = _text(_save(admin, code="", name=""))
    assert page.index('href="#name">Name: Name the local site.') < page.index(
        'href="#code">Code: Enter a short code for the local site.'
    )


def test_the_same_code_and_name_may_be_used_on_another_site(demo, client):
    login(client, "outsider")
    response = client.post(
        "/other/cqi/local-sites/new", data={"code": "001", "name": "Adams County"}
    )
    assert response.status_code == 302
    assert _local(demo, "001", jurisdiction="other").name == "Adams County"


def test_edit_renames_recodes_and_deactivates(admin, demo):
    local = _local(demo, "002")
    page = _text(admin.get(f"{LOCAL}/{local.id}"))
    assert 'value="Baker County"' in page and 'value="002"' in page
    response = _save(admin, path=f"/{local.id}", code="002B", name="Baker and Eaton", is_active="")
    assert response.status_code == 302
    page = _text(admin.get(response.location))
    assert "Local site Baker and Eaton saved." in page and "Inactive" in page
    edited = _local(demo, "002B")
    assert edited.id == local.id and not edited.is_active


def test_edit_keeping_its_own_code_and_name_is_fine_but_another_ones_is_not(admin, demo):
    local = _local(demo, "002")
    assert _save(admin, path=f"/{local.id}", code="002", name="Baker County").status_code == 302
    response = _save(admin, path=f"/{local.id}", code="003", name="Baker County")
    assert response.status_code == 422
    assert "already has the code &#39;003&#39;" in _text(response)
    response = _save(admin, path=f"/{local.id}", code="002", name="CLARK COUNTY")
    assert "already has the name" in _text(response)
    assert _local(demo, "002").name == "Baker County"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_local_site_of_another_site_is_not_found(admin, demo, method):
    for local in (_local(demo, "001", kind="cfsr"), _local(demo, "001", kind="training")):
        response = getattr(admin, method)(f"{LOCAL}/{local.id}", data={"code": "009", "name": "X"})
        assert response.status_code == 404
    assert admin.get(f"{LOCAL}/999999").status_code == 404
    assert _local(demo, "001", kind="cfsr").name == "Adams County"
