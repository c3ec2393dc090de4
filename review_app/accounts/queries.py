"""Reads about user accounts."""

from collections.abc import Iterable

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.extensions import db


def names_by_username(usernames: Iterable[str]) -> dict[str, str]:
    """Return the display name of each of these usernames that is known, in one statement."""
    wanted = set(usernames)
    if not wanted:
        return {}
    return dict(
        db.session.execute(
            select(User.username, User.display_name).where(User.username.in_(wanted))
        ).all()
    )


def display_names(user_ids: Iterable[int]) -> dict[int, str]:
    """Return the display name of each of these users, in one statement."""
    ids = set(user_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()
    )
