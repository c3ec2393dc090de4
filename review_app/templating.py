"""What every template can use: the current site, the user's sites, small filters."""

from datetime import UTC, date, datetime
from typing import Any

from flask import Flask, g
from flask_login import current_user
from werkzeug.local import LocalProxy

from review_app.access_requests.queries import pending_count
from review_app.audit import labels as audit_labels
from review_app.cases.models import STATUS_LABELS
from review_app.cases.states import CaseStatus
from review_app.config import APP_NAME
from review_app.core.numbers import percent_text
from review_app.core.once import new_form_key
from review_app.core.roles import ROLE_LABELS
from review_app.core.scope import current_scope
from review_app.instruments.catalog import version_title
from review_app.interviews.states import InterviewStatus
from review_app.members.identity import my_memberships
from review_app.notices.queries import unread_count


def _context() -> dict[str, Any]:
    site = g.get("site")
    return {
        "app_name": APP_NAME,
        "current_site": site,
        "current_roles": g.get("site_roles", {}).get(site.id) if site else None,
        # The local sites the person's access reaches here (read when the header shows it).
        "current_scope": LocalProxy(lambda: current_scope(site)) if site else None,
        # Read only when a template lists them (the header's site menu).
        "my_memberships": LocalProxy(my_memberships),
        "role_labels": ROLE_LABELS,
        "status_labels": STATUS_LABELS,
    }


def _unread_notices() -> int:
    """The signed-in person's unread notices on the current site: one query a request."""
    if "unread_notices" not in g:
        site = g.get("site")
        signed_in = site is not None and current_user.is_authenticated
        g.unread_notices = unread_count(current_user.id, site.id) if signed_in else 0
    return g.unread_notices


def _pending_access_requests() -> int:
    """The access requests waiting for the signed-in administrator on the current site."""
    site = g.get("site")
    return pending_count(site, current_user) if site and current_user.is_authenticated else 0


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _days_ago(value: datetime | None) -> str:
    if value is None:
        return ""
    days = (datetime.now(UTC).replace(tzinfo=None) - value).days
    return "today" if days < 1 else f"{days} day{'s' if days != 1 else ''}"


def _reject_page(args: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in args.items() if key != "page"}


def _full_names(usernames: object, names: dict[str, str]) -> object:
    """Return the full names of recorded usernames from ``names`` (read by the page's view;
    a name no longer known stays as it is).

    Anything but a list of usernames (an older entry's value) is returned as it is.
    """
    if not usernames or not isinstance(usernames, list):
        return usernames
    return [names.get(name, name) for name in usernames]


def init_templating(app: Flask) -> None:
    app.context_processor(_context)
    app.add_template_filter(_when, "when")
    app.add_template_filter(percent_text, "percent")
    app.add_template_filter(_reject_page, "reject_page")
    app.add_template_filter(_days_ago, "days_ago")
    # Internal names in words (audit/labels.py, instruments/labels.py).
    app.add_template_filter(_full_names, "full_names")
    app.add_template_filter(audit_labels.action_label, "action_label")
    app.add_template_filter(audit_labels.field_label, "field_label")
    app.add_template_global(audit_labels.value_label, "value_label")
    app.add_template_filter(version_title, "instrument_title")
    app.add_template_global(new_form_key, "form_key")  # see core/once.py
    app.add_template_global(_unread_notices, "unread_notices")  # the header's count
    app.add_template_global(_pending_access_requests, "pending_access_requests")
    # Templates name states and their groups, never their text:
    # ``case.status in CaseStatus.CLOSED``.
    app.add_template_global(CaseStatus, "CaseStatus")
    app.add_template_global(InterviewStatus, "InterviewStatus")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
