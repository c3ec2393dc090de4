"""A case import sends the same statements for 100 rows as for 1,500.

1,500 rows are past the 1,000 rows SQLAlchemy packs into one INSERT, so a count that
grew with the rows would show; the 5,000-row maximum is timed in bench/ instead.
"""

import io

from sqlalchemy import event, func, select

from review_app.audit.models import AuditEntry
from review_app.audit.verify import verify_chain
from review_app.cases.models import Case
from review_app.extensions import db
from tests.cases.test_import import HEADER, _period_id
from tests.conftest import login
from tests.transactions import is_savepoint

BIG = 1_500  # rows of the larger import


def _sample(first: int, rows: int) -> bytes:
    lines = [
        f"S-{n:05},{'in_home' if n % 3 else 'foster_care'},001,C.{n}.,2015-01-02,2025-03-04,"
        + ("reviewer reviewer2" if n % 2 else "reviewer")
        for n in range(first, first + rows)
    ]
    return (HEADER + "\n".join(lines) + "\n").encode()


def _import(app, client, data: bytes) -> tuple[list[str], int]:
    """Import the sample; return the single statements and the number of multi-row batches."""
    with app.app_context():
        engine = db.engine
    single, batches = [], []

    def count(conn, cursor, statement, parameters, context, executemany):
        # The job's progress (one UPDATE every 500 rows checked) is not the import's.
        if not is_savepoint(statement) and not statement.startswith("UPDATE jobs SET done"):
            (batches if executemany else single).append(statement)

    period_id = _period_id(app)
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.post(
            "/demo/cfsr/cases/import",
            data={"period_id": str(period_id), "file": (io.BytesIO(data), "sample.csv")},
            content_type="multipart/form-data",
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert "case(s) imported into" in client.get(response.location).get_data(as_text=True)
    return single, len(batches)


def test_statements_do_not_grow_with_the_rows(demo):
    client = demo.test_client()
    login(client, "admin")
    small_single, small_batches = _import(demo, client, _sample(0, 100))
    big_single, big_batches = _import(demo, client, _sample(100, BIG))
    assert len(big_single) == len(small_single), (small_single, big_single)
    # Multi-row INSERTs are packed by SQLAlchemy (about 1,000 rows a statement). On
    # SQLite the audit entries go one a statement: SQLite cannot report the ids of a
    # multi-row INSERT in order, which the ORM needs for the entries it keeps.
    rows_written = BIG * 33
    per_case = 1 if demo.config["TEST_DATABASE"] == "sqlite" else 0
    assert big_batches <= rows_written / 500 + per_case * BIG + 20
    with demo.app_context():
        count = db.session.scalar(select(func.count(Case.id)).where(Case.case_number.like("S-%")))
        created = db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "case.create")
        )
        report = verify_chain()
    assert count == 100 + BIG
    assert created >= 100 + BIG  # each case's history shows it was added
    assert report.is_intact, [broken.describe() for broken in report.broken]
