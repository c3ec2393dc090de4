"""The audit log page, for a site's state administrators and for system administrators."""

from flask import render_template, request
from wtforms.fields.choices import SelectChoice

from review_app.audit import labels, queries
from review_app.audit.forms import AuditFilterForm
from review_app.core.views import page_number
from review_app.instruments.catalog import newest_instrument

PER_PAGE = 50


def render_log(site_id: int | None, template: str):
    """Filter and page the entries of one site (or of no site) into ``template``."""
    form = AuditFilterForm(request.args)
    names = queries.action_names(site_id)
    form.action.choices += sorted(
        (SelectChoice(name, labels.action_label(name)) for name in names), key=lambda c: c.label
    )
    form.validate()
    page = page_number()
    rows, total = queries.entries(site_id, form.filters(), page, PER_PAGE)
    return render_template(
        template,
        form=form,
        rows=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        instrument=newest_instrument(),
    )
