"""The app for a worker whose first case import fails once, after its cases are written.

``flask --app tests.jobs.fail_once:create_app worker`` runs it (tests/jobs/test_worker_retry.py):
the import's closing audit entry raises on the first try only, as a worker might meet a
dropped connection or a full disk half way; huey retries the task.
"""

from flask import Flask

from review_app import create_app as create_real_app
from review_app.cases import operations

FAILURE = "The first try stopped after writing its cases (a test's failure)."


def create_app() -> Flask:
    app = create_real_app()
    real_record, failed = operations.record, []

    def record_failing_once(actor, action, *args, **kwargs):
        if action == "case.import" and not failed:
            failed.append(action)
            raise RuntimeError(FAILURE)
        return real_record(actor, action, *args, **kwargs)

    operations.record = record_failing_once
    return app
