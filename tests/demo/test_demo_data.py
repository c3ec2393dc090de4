"""The full demo, seeded as `flask seed-demo` does: quick, reported, consistent, audited."""

import re

from sqlalchemy import func, select

from review_app.cases.dates import order_errors
from review_app.cases.models import Case
from review_app.demo.history import IMPROVING
from review_app.demo.operations import REPORT_VOLUME
from review_app.extensions import db
from review_app.performance.trends import trends
from review_app.performance.windows import site_instrument
from review_app.periods.queries import periods
from review_app.ratings import queries
from review_app.ratings.dates import face_sheet_date_errors, target_birth
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.transactions import replayed

PASSWORD = "demo-password-9"


def _seeded(app) -> str:
    """Seed the full demo as `flask seed-demo` does (once per database); return its output."""

    def seed() -> str:
        result = app.test_cli_runner().invoke(args=["seed-demo", "--password", PASSWORD])
        assert result.exit_code == 0, result.output
        return result.output

    return replayed(app, "full-demo", seed)


# The past quarterly periods, newest first (as periods() lists closed ones after the open).
QUARTER_NAMES = [
    (2026, 3),
    (2026, 2),
    (2026, 1),
    (2025, 4),
    (2025, 3),
    (2025, 2),
    (2025, 1),
    (2024, 4),
]


def demo_faults() -> list[str]:
    """Return one line per demo case whose dates or birth dates disagree."""
    faults = []
    for case in db.session.scalars(select(Case).order_by(Case.id)):
        dates = {
            "birth": case.child_birth_date,
            "opened": case.opened_on,
            "removal": case.removal_on,
            "closed": case.closed_on,
        }
        for message in order_errors(dates).values():
            faults.append(f"{case.case_number} (case): {message}")
        values = queries.answer_values(queries.answers(case))
        for message in face_sheet_date_errors(values, case.child_birth_date).values():
            faults.append(f"{case.case_number} (face sheet): {message}")
        birth = target_birth(values)
        if birth is not None and birth != case.child_birth_date:
            faults.append(f"{case.case_number}: face sheet {birth}, case {case.child_birth_date}")
        if case.status == "finalized" and birth is None:
            faults.append(f"{case.case_number}: finalized without the target child's birth date")
    return faults


def test_the_full_demo_is_consistent_reported_and_audited(app):
    output = _seeded(app)
    # A line per stage, with its count and the seconds since the start.
    assert re.search(r"CQI: 200 finalized cases for the reports \(\d+\.\d s\)", output)
    assert re.search(r"saved \(\d+\.\d s\)", output)
    verified = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "The audit log is intact" in verified.output
    with app.app_context():
        finalized = db.session.scalar(
            select(func.count()).select_from(Case).where(Case.status == "finalized")
        )
        assert finalized >= sum(REPORT_VOLUME.values())
        assert demo_faults() == []
        bulk = db.session.scalar(select(Case.id).where(Case.case_number == "FC-CQI-201"))
    client = app.test_client()
    login(client, "admin", PASSWORD)
    for path in (
        "/demo/cqi/performance",
        "/demo/cqi/quality/agreement",
        f"/demo/cqi/cases/{bulk}",
        f"/demo/cqi/cases/{bulk}/history",
        f"/demo/cqi/reports/cases/{bulk}/summary",
        "/demo/cqi/performance/trends",
    ):
        assert client.get(path).status_code == 200, path


def test_the_full_demo_has_two_years_of_cqi_reviews_with_improving_items(app):
    output = _seeded(app)
    assert re.search(r"CQI: 8 past quarterly periods, 144 finalized cases for trends", output)
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        found = periods(site)
        assert found[0].name == "2026-27 review" and found[0].is_open
        assert [p.name for p in found[1:]] == [f"{y} Q{q} reviews" for y, q in QUARTER_NAMES]
        assert not any(p.is_open for p in found[1:])
        shown = trends(site.id, site_instrument(site.id))
        assert shown is not None and shown.quarters[0].label == "2024 Q4"
        for item in IMPROVING:
            first, last = shown.by_year("item", item)[3], shown.by_year("item", item)[7]
            assert first.figure.applicable >= 50 and last.figure.applicable >= 50
            assert last.figure.percent > first.figure.percent + 5, item
