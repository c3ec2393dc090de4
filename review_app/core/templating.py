"""What every template can use: the current site, the user's sites, small filters."""

from datetime import date, datetime

from flask import Flask, g

from review_app.members.roles import ROLE_LABELS

APP_NAME = "Case Review"


def _context() -> dict:
    return {
        "app_name": APP_NAME,
        "current_site": g.get("site"),
        "my_memberships": g.get("memberships", []),
        "role_labels": ROLE_LABELS,
    }


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _reject_page(args: dict) -> dict:
    return {key: value for key, value in args.items() if key != "page"}


def init_templating(app: Flask) -> None:
    app.context_processor(_context)
    app.add_template_filter(_when, "when")
    app.add_template_filter(_reject_page, "reject_page")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
