"""Access requests: a person asks for roles and a part of a site; notices of requests and departures.

Revision ID: 9c3f5a7e2b14
Revises: 4b7e1d9a2c58
Create Date: 2026-12-06 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9c3f5a7e2b14'
down_revision = '4b7e1d9a2c58'
branch_labels = None
depends_on = None

# The states of a request as at this revision (review_app/access_requests/states.py).
STATUSES = ("pending", "approved", "declined", "withdrawn")
# The notice kinds before and at this revision (review_app/notices/states.py may grow later).
KINDS_BEFORE = (
    "case_returned",
    "new_comment",
    "queue_arrival",
    "case_assigned",
    "merge_waiting",
    "qa_waiting",
    "period_closing",
    "job_done",
)
KINDS_NOW = (*KINDS_BEFORE, "access_request", "departure")
PENDING = sa.text("status = 'pending'")


def _allowed(column, values):
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _notice_kinds(values):
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_notices_kind"), type_="check")
        batch_op.create_check_constraint("kind", _allowed("kind", values))


def upgrade():
    op.create_table(
        "access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("is_state_admin", sa.Boolean(), nullable=False),
        sa.Column("is_reviewer", sa.Boolean(), nullable=False),
        sa.Column("is_observer", sa.Boolean(), nullable=False),
        sa.Column("qa_level", sa.Integer(), nullable=True),
        sa.Column("is_site_leader", sa.Boolean(), nullable=False),
        sa.Column("is_limited", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(_allowed("status", STATUSES), name=op.f("ck_access_requests_status")),
        sa.CheckConstraint(
            "qa_level IS NULL OR qa_level IN (1, 2)", name=op.f("ck_access_requests_qa_level")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_access_requests_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_access_requests_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_access_requests_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_requests")),
    )
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_requests_site_id"), ["site_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_requests_user_id"), ["user_id"], unique=False)
        # One request per person and site waits for a decision.
        batch_op.create_index(
            "uq_access_requests_one_pending",
            ["user_id", "site_id"],
            unique=True,
            sqlite_where=PENDING,
            postgresql_where=PENDING,
        )
    op.create_table(
        "access_request_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("local_site_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(region_id IS NULL) <> (local_site_id IS NULL)",
            name=op.f("ck_access_request_places_region_or_local_site"),
        ),
        sa.ForeignKeyConstraint(
            ["local_site_id"],
            ["local_sites.id"],
            name=op.f("fk_access_request_places_local_site_id_local_sites"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_access_request_places_region_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["access_requests.id"],
            name=op.f("fk_access_request_places_request_id_access_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_request_places")),
        sa.UniqueConstraint(
            "request_id",
            "local_site_id",
            name=op.f("uq_access_request_places_request_id_local_site_id"),
        ),
        sa.UniqueConstraint(
            "request_id", "region_id", name=op.f("uq_access_request_places_request_id_region_id")
        ),
    )
    with op.batch_alter_table("access_request_places", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_access_request_places_local_site_id"), ["local_site_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_access_request_places_region_id"), ["region_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_access_request_places_request_id"), ["request_id"], unique=False
        )
    _notice_kinds(KINDS_NOW)


def downgrade():
    # Notices of the two new kinds cannot be kept under the earlier check: they go.
    op.execute("DELETE FROM notices WHERE kind IN ('access_request', 'departure')")
    _notice_kinds(KINDS_BEFORE)
    with op.batch_alter_table("access_request_places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_request_places_request_id"))
        batch_op.drop_index(batch_op.f("ix_access_request_places_region_id"))
        batch_op.drop_index(batch_op.f("ix_access_request_places_local_site_id"))
    op.drop_table("access_request_places")
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.drop_index("uq_access_requests_one_pending")
        batch_op.drop_index(batch_op.f("ix_access_requests_user_id"))
        batch_op.drop_index(batch_op.f("ix_access_requests_site_id"))
    op.drop_table("access_requests")
