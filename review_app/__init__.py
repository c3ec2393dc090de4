"""Case review and quality assurance for child welfare reviews."""

from pathlib import Path

from flask import Flask

from review_app.config import build_config
from review_app.extensions import csrf, db, login_manager, mailer, migrate, principal


def create_app(config_override: dict | None = None) -> Flask:
    """Build the application; ``config_override`` wins over every other setting."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(build_config(Path(app.instance_path)))
    app.config.update(config_override or {})
    load_site_settings(app)
    register_extensions(app)
    register_blueprints(app)
    register_signal_receivers()
    register_tasks()
    register_errorhandlers(app)
    register_commands(app)
    register_templating(app)
    return app


def load_site_settings(app: Flask) -> None:
    from review_app.sites.settings import load_all_settings

    app.extensions["site_settings"] = load_all_settings(Path(app.config["SITES_DIR"]))


def register_extensions(app: Flask) -> None:
    import review_app.models  # noqa: F401  (every table in the metadata)
    from review_app.api.guard import check_token
    from review_app.core.access import TOKEN_CHECK, enforce_access
    from review_app.core.database import init_database
    from review_app.core.inputs import refuse_json_forms, refuse_nul_bytes, refuse_oversized_bodies
    from review_app.core.pagecache import init_page_cache
    from review_app.core.queue import init_queue
    from review_app.core.security import init_security
    from review_app.core.sitectx import init_site_urls
    from review_app.core.unit import init_unit_of_work
    from review_app.drafts.hooks import init_drafts
    from review_app.members.identity import init_identity
    from review_app.sites.queries import site_with_version

    init_security(app)
    db.init_app(app)
    init_database(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    mailer.init_app(app)
    principal.init_app(app)
    init_identity(app)
    init_site_urls(app, site_with_version)
    app.extensions[TOKEN_CHECK] = check_token  # how core.access applies a token rule
    init_page_cache(app)
    init_queue(app)
    # After Principal's own before_request, so the identity is loaded first.
    app.before_request(refuse_oversized_bodies)
    app.before_request(enforce_access)
    app.before_request(refuse_nul_bytes)
    app.before_request(refuse_json_forms)
    init_drafts(app)
    init_unit_of_work(app)  # last: its commit runs before the other after-request hooks


def register_blueprints(app: Flask) -> None:
    from review_app.core.inputs import IdConverter, TextConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextConverter
    from review_app.access_requests.views import admin_bp as access_admin
    from review_app.access_requests.views import bp as access_requests
    from review_app.accounts.views import bp as accounts
    from review_app.analysis.views import bp as analysis
    from review_app.api.views import bp as api
    from review_app.api.views import docs as api_docs
    from review_app.audit.views import bp as audit
    from review_app.cases.views import bp as cases
    from review_app.exports.views import bp as exports
    from review_app.guidance.views import bp as guidance
    from review_app.interviews.views import bp as interviews
    from review_app.jobs.views import bp as jobs
    from review_app.leaders.views import bp as leaders
    from review_app.members.views import bp as members
    from review_app.notices.views import bp as notices
    from review_app.performance.trend_views import bp as trends
    from review_app.performance.views import bp as performance
    from review_app.periods.views import bp as periods
    from review_app.plans.views import bp as plans
    from review_app.qa.views import bp as qa
    from review_app.quality.views import bp as quality
    from review_app.ratings.views import bp as ratings
    from review_app.reports.views import bp as reports
    from review_app.sites.views import bp as sites
    from review_app.system.views import bp as system
    from review_app.systemic.views import bp as systemic
    from review_app.tokens.views import bp as tokens
    from review_app.training.views import bp as training

    for blueprint in (
        accounts,
        sites,
        members,
        periods,
        audit,
        system,
        cases,
        ratings,
        guidance,
        qa,
        leaders,
        training,
        interviews,
        systemic,
        notices,
        reports,
        performance,
        plans,
        trends,
        analysis,
        quality,
        exports,
        jobs,
        tokens,
        access_requests,
        access_admin,
        api,
        api_docs,
    ):
        app.register_blueprint(blueprint)


def register_signal_receivers() -> None:
    """Import every module that listens to a lower domain's signals (blinker).

    A lower domain does not import a higher one; it sends a signal that these
    receive (README, "How the code is laid out").
    """
    import review_app.access_requests.receivers  # noqa: F401  departures withdraw requests
    import review_app.interviews.queries  # noqa: F401  the QA inbox's interview threads
    import review_app.notices.receivers  # noqa: F401  notices of cases, QA and interviews
    import review_app.qa.pages  # noqa: F401  QA's parts of the case and item pages
    import review_app.ratings.operations  # noqa: F401  a case's items, added and kept in step
    import review_app.ratings.pages  # noqa: F401  ratings' part of the case page
    import review_app.tokens.operations  # noqa: F401  revoke tokens when access ends
    import review_app.training.operations  # noqa: F401  score a submitted practice copy
    import review_app.training.queries  # noqa: F401  the reviewer qualification


def register_tasks() -> None:
    """Import every module that declares a queued task, so a worker knows them all."""
    import review_app.accounts.tasks  # noqa: F401  answering "forgot your password"
    import review_app.cases.import_job  # noqa: F401  a case sample's import
    import review_app.core.worker  # noqa: F401  the worker's own start-up hook
    import review_app.exports.source_job  # noqa: F401  a period's source data as a file
    import review_app.jobs.tasks  # noqa: F401  the jobs' cleanup and the worker's start
    import review_app.mail.tasks  # noqa: F401  delivering email
    import review_app.members.import_job  # noqa: F401  people imported from a file
    import review_app.notices.tasks  # noqa: F401  the daily reminders and digests
    import review_app.reports.period_pdf  # noqa: F401  a period's PDF, made in parts
    import review_app.training.import_job  # noqa: F401  an answer key imported from a file


def register_errorhandlers(app: Flask) -> None:
    from review_app.core.errorpages import init_error_pages

    init_error_pages(app)


def register_commands(app: Flask) -> None:
    from review_app.audit.cli import audit
    from review_app.backup.cli import backup, jurisdiction_commands
    from review_app.core.worker import worker
    from review_app.demo.cli import seed_demo
    from review_app.instruments.cli import instruments
    from review_app.mail.cli import show_mailbox
    from review_app.members.cli import users
    from review_app.notices.cli import notices
    from review_app.ratings.cli import ratings
    from review_app.sites.cli import jurisdictions
    from review_app.tokens.cli import tokens

    for command in jurisdiction_commands:
        jurisdictions.add_command(command)
    for command in (users, jurisdictions, seed_demo, instruments, tokens, backup, audit, worker):
        app.cli.add_command(command)
    app.cli.add_command(show_mailbox)
    app.cli.add_command(notices)
    app.cli.add_command(ratings)


def register_templating(app: Flask) -> None:
    from review_app.templating import init_templating

    init_templating(app)
