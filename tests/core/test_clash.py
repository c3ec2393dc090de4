"""Two requests that pass the same checks at once: the loser gets a clear 409, not a 500."""

from sqlalchemy.exc import IntegrityError

from review_app.core.access import authenticated
from tests.conftest import login, make_app


def test_a_unique_constraint_clash_is_a_clear_message(demo):
    app = make_app(demo.config["SQLALCHEMY_DATABASE_URI"])  # a fresh app: routes stay as they are

    @authenticated
    def clashing():
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    app.add_url_rule("/clash-for-test", "clash_for_test", clashing)
    client = app.test_client()
    login(client, "admin")
    response = client.get("/clash-for-test")
    assert response.status_code == 409
    assert "Someone else saved the same thing at the same moment" in response.get_data(as_text=True)
