"""Training site: answer keys, their explanations, and practice scores.

Cases get ``is_key``, ``key_published_at`` and ``key_case_id`` (a trainee's
copy points at its key); existing cases are neither keys nor copies.

Revision ID: 8b2f5d3c0e12
Revises: 7a1e4c2b9d01
Create Date: 2026-11-22 19:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8b2f5d3c0e12"
down_revision = "7a1e4c2b9d01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_key", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("key_published_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("key_case_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_key_case_id_cases"), "cases", ["key_case_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_cases_key_case_id"), ["key_case_id"], unique=False)

    op.create_table(
        "key_explanations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("question_id", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_key_explanations_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_key_explanations_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_explanations")),
        sa.UniqueConstraint(
            "case_id",
            "item_id",
            "question_id",
            name=op.f("uq_key_explanations_case_id_item_id_question_id"),
        ),
    )

    op.create_table(
        "practice_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("copy_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("items_compared", sa.Integer(), nullable=False),
        sa.Column("items_agreed", sa.Integer(), nullable=False),
        sa.Column("answers_compared", sa.Integer(), nullable=False),
        sa.Column("answers_agreed", sa.Integer(), nullable=False),
        sa.Column("item_percent", sa.Float(), nullable=False),
        sa.Column("pass_percent", sa.Integer(), nullable=False),
        sa.Column("is_passed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["copy_id"],
            ["cases.id"],
            name=op.f("fk_practice_scores_copy_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["key_id"], ["cases.id"], name=op.f("fk_practice_scores_key_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_practice_scores_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["users.id"], name=op.f("fk_practice_scores_trainee_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_scores")),
        sa.UniqueConstraint("copy_id", "attempt", name=op.f("uq_practice_scores_copy_id_attempt")),
    )
    with op.batch_alter_table("practice_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_scores_key_id"), ["key_id"], unique=False)
        batch_op.create_index(
            "ix_practice_scores_site_trainee", ["site_id", "trainee_id"], unique=False
        )

    op.create_table(
        "practice_score_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("score_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("trainee_rating", sa.String(length=20), nullable=False),
        sa.Column("key_rating", sa.String(length=20), nullable=False),
        sa.Column("is_agreed", sa.Boolean(), nullable=False),
        sa.Column("answers_compared", sa.Integer(), nullable=False),
        sa.Column("answers_agreed", sa.Integer(), nullable=False),
        sa.Column("differences", sa.JSON(), nullable=False),
        sa.Column("key_rationale", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["score_id"],
            ["practice_scores.id"],
            name=op.f("fk_practice_score_items_score_id_practice_scores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_score_items")),
    )
    with op.batch_alter_table("practice_score_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_score_items_score_id"), ["score_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("practice_score_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_score_items_score_id"))

    op.drop_table("practice_score_items")
    with op.batch_alter_table("practice_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_scores_site_trainee")
        batch_op.drop_index(batch_op.f("ix_practice_scores_key_id"))

    op.drop_table("practice_scores")
    op.drop_table("key_explanations")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_key_case_id"))
        batch_op.drop_constraint(batch_op.f("fk_cases_key_case_id_cases"), type_="foreignkey")
        batch_op.drop_column("key_case_id")
        batch_op.drop_column("key_published_at")
        batch_op.drop_column("is_key")
