"""Regions of a site: kept by its state administrators, imported from CSV, removed with care."""

import io

import pytest
from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.sites.models import LocalSite, Region, Site
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.scoped import LIMITED_ADMIN, make_limited_admin

REGIONS = "/demo/cqi/regions"


@pytest.fixture
def admin(demo, client):
    login(client, "admin")
    return client


def _text(response) -> str:
    return response.get_data(as_text=True)


def _regions(app) -> dict[str, list[str]]:
    """The demo CQI site's regions: code -> the codes of its local sites."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        regions = db.session.scalars(select(Region).where(Region.site_id == site.id))
        return {r.code: sorted(local.code for local in r.local_sites) for r in regions}


def _ids(app, *codes: str, kind: str = "cqi") -> list[int]:
    with app.app_context():
        site = site_by_slug("demo", kind)
        return [
            db.session.scalar(
                select(LocalSite.id).where(LocalSite.site_id == site.id, LocalSite.code == code)
            )
            for code in codes
        ]


def _region_id(app, code: str) -> int:
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        return db.session.scalar(
            select(Region.id).where(Region.site_id == site.id, Region.code == code)
        )


def test_the_page_lists_regions_and_local_sites_show_theirs(admin):
    page = _text(admin.get(REGIONS))
    assert "Northern region" in page and "Adams County, Baker County" in page
    assert "Every local site is in a region." in page
    local = _text(admin.get("/demo/cqi/local-sites"))
    assert '<th scope="col">Region</th>' in local and "Southern region" in local


def test_add_a_region_moving_a_local_site_says_so(admin, demo):
    form = _text(admin.get(f"{REGIONS}/new"))
    assert "Dawson County (now in Southern region: moves to this region)" in form
    response = admin.post(
        f"{REGIONS}/new",
        data={"code": "W", "name": "Western region", "local_site_ids": _ids(demo, "004")},
    )
    assert response.status_code == 302
    assert _regions(demo) == {"N": ["001", "002"], "S": ["003"], "W": ["004"]}
    page = _text(admin.get(REGIONS))
    assert "Moved to it from their former region: Dawson County." in page
    with demo.app_context():
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "region.create")
            .order_by(AuditEntry.id.desc())
        )
        assert entry.after["local_sites"] == ["004"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "", "name": "West"}, "Enter a short code for the region."),
        ({"code": "W X", "name": "West"}, "Use letters, digits, dots, dashes or underscores."),
        ({"code": "W", "name": "northern REGION"}, "already has the name"),
        ({"code": "n", "name": "West"}, "already has the code"),
    ],
)
def test_a_bad_region_is_refused_with_what_was_typed(admin, demo, fields, message):
    response = admin.post(f"{REGIONS}/new", data={**fields, "local_site_ids": _ids(demo, "003")})
    assert response.status_code == 422
    page = _text(response)
    assert message in page and "There is a problem" in page
    assert 'value="' + fields["name"] + '"' in page
    assert _regions(demo) == {"N": ["001", "002"], "S": ["003", "004"]}


def test_a_local_site_of_another_site_is_not_a_choice(admin, demo):
    (training_adams,) = _ids(demo, "001", kind="training")
    response = admin.post(
        f"{REGIONS}/new", data={"code": "W", "name": "West", "local_site_ids": [training_adams]}
    )
    assert response.status_code == 422
    assert "Choose among the local sites of this site." in _text(response)
    assert "W" not in _regions(demo)


def test_the_edit_page_says_whom_the_region_limits(admin, demo):
    page = _text(admin.get(f"{REGIONS}/{_region_id(demo, 'N')}"))
    assert "Northern region limits the access of 1 person (Nora North)" in page
    assert "limits the access" not in _text(admin.get(f"{REGIONS}/{_region_id(demo, 'S')}"))


def test_edit_a_region(admin, demo):
    url = f"{REGIONS}/{_region_id(demo, 'S')}"
    page = _text(admin.get(url))
    assert 'value="Southern region"' in page and "checked" in page
    response = admin.post(
        url, data={"code": "S", "name": "South", "local_site_ids": _ids(demo, "003", "002")}
    )
    assert response.status_code == 302
    assert _regions(demo) == {"N": ["001"], "S": ["002", "003"]}
    with demo.app_context():
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "region.update")
            .order_by(AuditEntry.id.desc())
        )
        assert (
            entry.before["local_sites"] == ["003", "004"] and entry.summary == "Edited region South"
        )


def test_a_region_of_another_site_is_not_found(admin, demo):
    with demo.app_context():
        site = site_by_slug("demo", "cfsr")
        other = db.session.scalar(select(Region.id).where(Region.site_id == site.id))
    assert admin.get(f"{REGIONS}/{other}").status_code == 404
    assert admin.post(f"{REGIONS}/{other}/remove").status_code == 404


def test_removing_a_region_that_limits_people_is_refused(admin, demo):
    response = admin.post(f"{REGIONS}/{_region_id(demo, 'N')}/remove", follow_redirects=True)
    page = _text(response)
    assert "Northern region limits the access of 1 person (Nora North)" in page
    assert "nothing was removed" in page
    assert _regions(demo) == {"N": ["001", "002"], "S": ["003", "004"]}


def test_removing_a_region_counts_everyone_it_limits(admin, demo):
    make_limited_admin(demo)
    response = admin.post(f"{REGIONS}/{_region_id(demo, 'N')}/remove", follow_redirects=True)
    assert "limits the access of 2 people (Ann North, Nora North)" in _text(response)
    assert "N" in _regions(demo)


def test_remove_a_region_no_one_is_limited_to(admin, demo):
    response = admin.post(f"{REGIONS}/{_region_id(demo, 'S')}/remove", follow_redirects=True)
    page = _text(response)
    assert "Region Southern region removed" in page
    assert "Clark County" in page.split("Local sites in no region")[1]
    assert _regions(demo) == {"N": ["001", "002"]}
    with demo.app_context():
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "region.remove")
            .order_by(AuditEntry.id.desc())
        )
        assert entry.before == {
            "code": "S",
            "name": "Southern region",
            "local_sites": ["003", "004"],
        }
        assert db.session.get(LocalSite, _ids(demo, "003")[0]).region_id is None


def test_only_site_wide_state_administrators_keep_regions(demo, clients):
    make_limited_admin(demo)
    for who in ("reviewer", "qa", LIMITED_ADMIN):
        client = clients(who)
        assert client.get(REGIONS).status_code == 403
        assert client.post(f"{REGIONS}/new", data={"code": "W", "name": "W"}).status_code == 403
        assert client.post(f"{REGIONS}/{_region_id(demo, 'S')}/remove").status_code == 403
    assert _regions(demo) == {"N": ["001", "002"], "S": ["003", "004"]}
    home = _text(clients(LIMITED_ADMIN).get("/demo/cqi/"))
    assert "Users and roles" in home and "Regions:" not in home and "Privacy of figures" not in home


# The import


def _import(client, text: str | bytes, filename: str = "regions.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        f"{REGIONS}/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


HEADER = "region_code,region_name,local_site_code\n"


def test_import_sets_the_regions_the_file_names(admin, demo):
    response = _import(admin, HEADER + "W,Western region,004\nW,Western region,003\nN,North,001\n")
    assert response.status_code == 303
    assert _regions(demo) == {"N": ["001"], "S": [], "W": ["003", "004"]}
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        assert (
            db.session.scalar(
                select(Region.name).where(Region.site_id == site.id, Region.code == "N")
            )
            == "North"
        )
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "region.import")
            .order_by(AuditEntry.id.desc())
        )
        assert entry.after == {"regions": ["N", "W"]}


def test_import_lists_every_bad_row_and_changes_nothing(admin, demo):
    with demo.app_context():
        training = site_by_slug("demo", "training")
        db.session.add(LocalSite(site=training, code="099", name="Training County"))
        db.session.commit()
    response = _import(
        admin,
        HEADER
        + "W,Western region,004\n"  # fine
        + "W,Western region,777\n"  # unknown
        + "E,Eastern region,004\n"  # named twice
        + ",Eastern region,\n"  # empty fields
        + "E,Eastern region,099\n"  # a local site of another site
        + "W,Wild West,003\n"  # another name for W
        + "X,Northern region,002\n"  # the name of region N
        + "Y Z,Why,001\n",  # a space in the code
    )
    assert response.status_code == 422
    page = _text(response)
    assert "Nothing was imported: 7 rows to fix" in page
    for message in (
        "Line 3: local_site_code: no local site of this site has the code 777.",
        "Line 4: local_site_code: Dawson County is named twice (also on line 2).",
        "Line 5: region_code, local_site_code: empty.",
        "Line 6: local_site_code: 099 is a local site of Demo State Training, not of this site.",
        "Line 7: region_name: region W is named “Western region” on line 2.",
        "Line 8: region_name: the region N of this site is already named “Northern region”.",
        "Line 9: region_code: use at most 20 letters, digits, dots, dashes or underscores.",
    ):
        assert message in page
    assert _regions(demo) == {"N": ["001", "002"], "S": ["003", "004"]}


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (HEADER + "W,West,004\n", "regions.xlsx", "“regions.xlsx” is not a CSV file"),
        (
            b"region_code,region_name,local_site_code\nW,Caf\xe9,004\n",
            "r.csv",
            "“r.csv” is not UTF-8 text: line 2",
        ),
        (
            "code,name\nW,West\n",
            "r.csv",
            "“r.csv”: Line 1: the header lacks the column(s) region_code",
        ),
        (HEADER, "r.csv", "“r.csv”: The file has a header but no rows."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "r.csv", "“r.csv” is not UTF-8 text: line 1"),
    ],
)
def test_a_broken_file_names_the_file_the_place_and_the_fault(admin, demo, data, filename, message):
    response = _import(admin, data, filename)
    assert response.status_code == 422
    assert message in _text(response)
    assert _regions(demo) == {"N": ["001", "002"], "S": ["003", "004"]}


def test_import_page_without_a_file_asks_for_one(admin):
    response = admin.post(f"{REGIONS}/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a CSV file." in _text(response)


def test_regions_of_one_site_are_its_own(admin, demo):
    _import(admin, HEADER + "W,Western region,004\n")
    with demo.app_context():
        cfsr = site_by_slug("demo", "cfsr")
        codes = set(db.session.scalars(select(Region.code).where(Region.site_id == cfsr.id)))
        assert codes == {"N", "S"}
        assert db.session.scalar(select(Site).where(Site.id == cfsr.id)) is not None


def test_a_region_can_be_left_with_no_local_sites(admin, demo):
    response = admin.post(f"{REGIONS}/{_region_id(demo, 'S')}", data={"code": "S", "name": "South"})
    assert response.status_code == 302
    assert _regions(demo) == {"N": ["001", "002"], "S": []}


def test_a_huge_region_number_is_not_found(admin):
    assert admin.get(f"{REGIONS}/99999999999999999999").status_code == 404
    assert admin.post(f"{REGIONS}/99999999999999999999/remove").status_code == 404
