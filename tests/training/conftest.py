"""Helpers for the Training site tests: answer keys, trainees' copies, a client per person."""

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.facts import CaseFacts
from review_app.cases.models import Case
from review_app.cases.operations import create_case
from review_app.demo.answers import complete_answers
from review_app.demo.cases import rate_with
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.periods.queries import periods
from review_app.sites.queries import site_by_slug
from review_app.training import key_operations as keys
from tests.transactions import replayed

SITE = "/demo/training"
KEY_SEED = 4242


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def new_case(number: str, case_type: str = "foster_care", reviewers=()) -> Case:
    """Add a case to the demo Training site's period."""
    period = periods(site_by_slug("demo", "training"))[0]
    return create_case(
        None,
        period,
        CaseFacts(
            number,
            case_type,
            period.local_sites[0],
            "K.K.",
            child_birth_date=date(2015, 2, 3),
            opened_on=date(2025, 9, 1),
            pur_start=date(2026, 4, 1) if period.pur_start is None else None,
            reviewers=[user(name) for name in reviewers],
        ),
    )


def key_answers(case: Case) -> dict:
    """The answers of the test keys: every one favourable, so items are Strength or NA."""
    instrument = get_instrument(case.period.instrument_version)
    return complete_answers(instrument, case.case_type, KEY_SEED, no_rate=0.0)


def make_published_key(app, number: str = "KEY-T1", case_type: str = "foster_care") -> int:
    """Make a complete, published answer key as the demo administrator; return its id."""
    with app.app_context():
        admin = user("admin")
        key = new_case(number, case_type)
        keys.make_key(admin, key)
        rate_with(admin, key, key_answers(key), "The experts' rationale.")
        keys.publish_key(admin, key)
        db.session.commit()
        return key.id


def rate_copy(app, copy_id: int, changes: dict | None = None, username: str = "reviewer") -> None:
    """Rate a trainee's copy with the key's answers, changed where ``changes`` says."""
    with app.app_context():
        copy = db.session.get(Case, copy_id)
        rate_with(user(username), copy, key_answers(copy) | (changes or {}))
        db.session.commit()


@pytest.fixture
def key_id(demo) -> int:
    return replayed(demo, "key_id", lambda: make_published_key(demo))


def start(client, key_id: int) -> int:
    """Start the signed-in trainee's copy of a key through the page; return the copy's id."""
    response = client.post(f"{SITE}/practice/{key_id}/start")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return int(response.location.rstrip("/").split("/")[-1])


def submit(client, app, case_id: int):
    """Submit a case through its page's form; return the response (not followed)."""
    with app.app_context():
        version = db.session.get(Case, case_id).status_version
    return client.post(
        f"{SITE}/cases/{case_id}/status",
        data={"action": "submit", "status_version": version, "confirmed": "1"},
    )


def words(response) -> str:
    """Return the main part of a page as a reader hears it: text without tags, spaces folded."""
    page = response.get_data(as_text=True)
    main = page[page.find("<main") : page.find("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).replace(" ,", ",")


@pytest.fixture
def app_with_settings(demo, tmp_path):
    """Return a factory of apps on the demo database whose sites/*.toml are edited copies."""
    import shutil

    from review_app.config import PROJECT_ROOT
    from tests.conftest import dispose, make_app

    made = []

    def build(kind: str, old: str, new: str):
        folder = tmp_path / f"sites{len(made)}"
        shutil.copytree(PROJECT_ROOT / "sites", folder)
        path = folder / f"{kind}.toml"
        text = path.read_text()
        assert old in text, f"{old!r} is not in {path.name}"
        path.write_text(text.replace(old, new))
        made.append(make_app(demo.config["SQLALCHEMY_DATABASE_URI"], SITES_DIR=folder))
        return made[-1]

    yield build
    for app in made:
        dispose(app)
