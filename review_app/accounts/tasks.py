"""Queued account work: answering "forgot your password".

The page hands the request to the worker and answers at once, in the same time
and words whether or not an account matches: the lookup, the link and the email
happen here, out of the asker's sight.
"""

from review_app.accounts import link_operations
from review_app.core.queue import task


@task()
def answer_reset_request(typed: str, address: str) -> None:
    """Look the account up and send it a reset link if one should go (see request_reset)."""
    link_operations.request_reset(typed, address)
