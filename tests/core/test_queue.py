"""The job queue uses the storage ``JOBS_URL`` names, also after an app that ran tasks at once."""

from huey.storage import MemoryStorage, SqliteStorage

from review_app.core.queue import huey, init_queue
from tests.conftest import dispose, make_app


def test_an_app_on_a_queue_file_after_one_in_immediate_mode_queues_into_that_file(db_app, tmp_path):
    assert huey.immediate  # the tests' own setting
    app = make_app(
        db_app.config["SQLALCHEMY_DATABASE_URI"],
        JOBS_URL=f"sqlite:///{tmp_path / 'jobs.db'}",
        JOBS_IMMEDIATE=False,
    )
    try:
        assert not huey.immediate
        assert isinstance(huey.storage, SqliteStorage)  # huey had put memory storage back
        assert huey.storage.filename == str(tmp_path / "jobs.db")
    finally:
        dispose(app)
        init_queue(db_app)
    assert huey.immediate and isinstance(huey.storage, MemoryStorage)
