"""Keep what a person typed when their form cannot be taken, and give it back on its page.

- Signed in, but the form's CSRF token is invalid or expired: the fields are
  kept and the same page is shown again (a GET) with them and a fresh token.
- The session ended (signed out in another tab, expired): the fields are kept
  for the user whose ended sign-in record the stale session cookie names, or else the user the
  ``form_owner`` cookie names (a signed user id set at each signed-in response,
  which outlives signing out), and the person is sent to sign in with ``next``
  naming the form's page. Nothing is kept when neither names anyone.

A draft is shown only to the user it was kept for, once, on the page it came
from (the posting URL when it answers GET, else a same-site Referer). Forms
posted from another site keep nothing. ``core.forms.DraftForm`` fills a form
from the draft; templates of hand-written forms ask ``draft_field``.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from review_app.accounts.models import User, UserSession, key_digest
from review_app.core.errorpages import KEEP_EXPIRED_FORM
from review_app.core.roles import roles_of
from review_app.core.unit import KEEP_REFUSED_FORM
from review_app.core.views import is_safe_next
from review_app.drafts.operations import LIFETIME, has_drafts, keep_draft, keepable, take_drafts
from review_app.extensions import db, login_manager

# Fields people write in, as opposed to buttons' hidden values: a refused action keeps
# a draft only when one of these holds text.
TYPED_FIELDS = {"body", "reason", "notes", "rationale"}
OWNER_COOKIE = "form_owner"
PENDING_COOKIE = "form_draft"
OWNER_LIFETIME = timedelta(days=7)
# A refused field's message travels with the draft under this prefix (``draft_error``).
ERROR_PREFIX = "error:"
FIX_BELOW = "Nothing was saved: the form below says what to change."
RESTORED = "Your form had expired; check what you entered and send it again."
SIGN_IN_AGAIN = "Your session had ended. Sign in again and what you typed will be back in the form."


def _owner_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="form-draft-owner")


def _stale_user_id() -> int | None:
    """Return the user whose ended sign-in the session still names, or the owner cookie names."""
    stored = session.get("_user_id")
    if isinstance(stored, str) and stored:
        user_id = db.session.scalar(
            select(UserSession.user_id).where(UserSession.id == key_digest(stored))
        )
        if user_id is not None:
            return user_id
    cookie = request.cookies.get(OWNER_COOKIE)
    if cookie:
        try:
            user_id = _owner_signer().loads(cookie, max_age=int(OWNER_LIFETIME.total_seconds()))
        except BadSignature:
            return None
        if isinstance(user_id, int):
            return user_id
    return None


def _same_site_path(url: str | None) -> str | None:
    """Return the path (and query) of a URL of this site, else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_safe_next(path) else None


def _from_elsewhere() -> bool:
    """Tell whether the browser says the form came from another site."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == "null" or urlsplit(origin).netloc != request.host
    return bool(request.referrer) and _same_site_path(request.referrer) is None


def form_page() -> str | None:
    """Return the page that showed the posted form: this URL if it answers GET, else the Referer."""
    if request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        return request.path
    return _same_site_path(request.referrer)


def _is_public() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    rule = getattr(view, "access_rule", None)
    return rule is None or rule.kind in ("public", "token")


def _may_use_site(user_id: int) -> bool:
    """Tell whether the user exists and, when the URL names a site, holds a role on it.

    The form's own access rule has not run yet (a CSRF failure comes first), so a
    draft is kept only for someone who could have been shown that site's forms.
    """
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return False
    if "site" not in g:
        return True  # not a site's page: accounts, system administration
    return g.site is not None and roles_of(user, g.site).holds("member")


def keep_posted_form(user_id: int | None) -> str | None:
    """Keep the posted fields for ``user_id``; return the page to show them on, or None."""
    if request.method != "POST" or user_id is None or _is_public() or _from_elsewhere():
        return None
    page = form_page()
    pairs = keepable(request.form)
    if page is None or not pairs or not _may_use_site(user_id):
        return None
    keep_draft(user_id, urlsplit(page).path, request.path, pairs)
    g.draft_kept = True
    return page


def form_expired() -> BaseResponse | None:
    """Answer a POST whose CSRF token failed by keeping its fields; None when nothing was kept."""
    if current_user.is_authenticated:
        page = keep_posted_form(current_user.id)
        return redirect(page, 303) if page else None
    if request.method == "POST" and not _is_public():
        return sign_in_first()
    return None


def sign_in_first() -> BaseResponse:
    """Send an anonymous request to sign in, keeping a posted form for its user."""
    page = keep_posted_form(_stale_user_id())
    if page:
        flash(SIGN_IN_AGAIN, "info")
        return redirect(url_for("accounts.login", next=page))
    flash(login_manager.login_message, login_manager.login_message_category)
    target = form_page() if request.method == "POST" else request.full_path.rstrip("?")
    return redirect(url_for("accounts.login", next=target or url_for("accounts.home")))


def restore_drafts() -> None:
    """On a page with a draft of the signed-in user, take it for the page's forms to show."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    g.draft_owner_id = current_user.id
    if request.method != "GET" or PENDING_COOKIE not in request.cookies:
        return
    drafts, notices = take_drafts(current_user.id, request.path)
    if drafts:
        g.form_drafts = drafts
        g.drafts_left = has_drafts(current_user.id)
        for notice in notices:
            flash(notice or RESTORED, "warning")


def keep_refused_form(page: str, notice: str, field_error: tuple[str, str] | None = None) -> bool:
    """Keep what a signed-in person posted in a refused change, to show again on ``page``.

    For actions that answer with a redirect: the text of a comment refused because
    the case moved on meanwhile comes back in its box, with ``notice``. A refusal of
    one field (``field_error``: its name and the message) is kept even when nothing
    was typed, for the form to show by that field (``draft_error``). Call it after
    the refused change was undone; the draft is committed with the request. Return
    whether a draft was kept.
    """
    pairs = keepable(request.form)
    typed = any(name in TYPED_FIELDS and value.strip() for name, value in pairs)
    if request.method != "POST" or not current_user.is_authenticated:
        return False
    if field_error is not None:
        name, message = field_error
        pairs, notice = [*pairs, [ERROR_PREFIX + name, message]], FIX_BELOW
    elif not typed:
        return False
    keep_draft(current_user.id, urlsplit(page).path, request.path, pairs, notice)
    g.draft_kept = True
    return True


def draft_field(action: str, name: str, default: str = "") -> str:
    """Return a field of the draft posted to ``action`` being restored on this page."""
    draft = g.get("form_drafts", {}).get(action)
    return draft.get(name, default) if draft is not None else default


def draft_error(action: str, name: str) -> str:
    """Return why the field ``name`` of the form posted to ``action`` was refused, or ''."""
    return draft_field(action, ERROR_PREFIX + name)


def _set_cookie(response: Response, name: str, value: str, max_age: timedelta) -> None:
    response.set_cookie(
        name,
        value,
        max_age=int(max_age.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )


def remember_owner(response: Response) -> Response:
    """Set or clear the draft cookies this request calls for."""
    if g.get("draft_kept"):
        _set_cookie(response, PENDING_COOKIE, "1", LIFETIME)
    elif "form_drafts" in g and not g.get("drafts_left"):
        response.delete_cookie(PENDING_COOKIE)
    owner = g.get("draft_owner_id")
    if owner is not None and not request.path.startswith("/api/"):
        signed = _owner_signer().dumps(owner)
        if request.cookies.get(OWNER_COOKIE) != signed:
            _set_cookie(response, OWNER_COOKIE, signed, OWNER_LIFETIME)
    return response


def keep_refused_here(message: str) -> str:
    """Keep the refused form's text for the page it came from; return that page."""
    back = form_page() or "/"
    keep_refused_form(back, message)
    return back


def init_drafts(app: Flask) -> None:
    """Register the hooks; after the identity and access hooks, so the user is known."""
    login_manager.unauthorized_handler(sign_in_first)
    app.extensions[KEEP_EXPIRED_FORM] = form_expired  # core/errorpages.py answers with it
    app.extensions[KEEP_REFUSED_FORM] = keep_refused_here  # core/unit.py, after a refusal
    app.before_request(restore_drafts)
    app.after_request(remember_owner)
    app.add_template_global(draft_field)
    app.add_template_global(draft_error)
