"""Declarative base shared by every model, and small column helpers."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Enum, MetaData, case, func
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names let Alembic create, compare and drop constraints on
# both PostgreSQL and SQLite (whose batch mode needs named constraints).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def state_type(states: type[StrEnum], name: str, length: int = 20) -> Enum:
    """Return the column type of a state of ``states``: its value as text, checked by the database.

    The column stays a VARCHAR holding each member's value (not its name), and a
    CHECK constraint named ``name`` allows those values only; reading gives members.
    """
    return Enum(
        states,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """SQL: how many rows of the group meet ``condition``."""
    return func.sum(case((condition, 1), else_=0))


def utcnow() -> datetime:
    """Return the current time in UTC without tzinfo (stored the same on every database)."""
    return datetime.now(UTC).replace(tzinfo=None)
