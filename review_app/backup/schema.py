"""Which rows of which tables belong to a jurisdiction, found by walking the foreign keys.

A table belongs to jurisdictions when it has a foreign key to ``jurisdictions``
or to a table that belongs (sites, then cases, answers, threads, comments ...).
Its rows of one jurisdiction are those whose key points at a row of that
jurisdiction, by any such foreign key. Nothing here names a domain table, so a
table added later is covered as soon as it has such a key; a table with none
must be listed in ``GLOBAL_TABLES`` (a test fails otherwise).
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, MetaData, Table, false, or_, select, tuple_

ROOT = "jurisdictions"

# Tables that no jurisdiction owns, and why.
GLOBAL_TABLES = {
    "users": (
        "accounts are shared by every jurisdiction: exported as far as the jurisdiction's "
        "rows name them, never removed (removal deactivates those left without a role)"
    ),
    "alembic_version": "the schema revision of the whole database",
    "user_sessions": (
        "sign-in records of shared accounts: no case data, and their key digests are secrets; "
        "removal ends the sessions of the accounts it deactivates"
    ),
    "form_drafts": (
        "a person's unsent form, kept a day at most and shown only to them: transient, "
        "not part of a jurisdiction's record"
    ),
    "form_keys": "keys of create forms already sent, kept two days to answer a second send",
    "notice_daily_runs": "the day's run of reminders and digests, of the whole installation",
    "password_links": (
        "emailed invitation and reset links of shared accounts: only digests of secrets, "
        "expiring within days; a restored account is invited again instead"
    ),
}

# Columns that name a parent's key without a foreign key, with the reason there is none.
# (table, column) -> (parent table, parent column)
SOFT_KEYS = {
    # The audit chain of a site: chain_key is the site's id, or 0 for the chain of entries
    # outside any site, which no foreign key could allow.
    ("audit_chain", "chain_key"): ("sites", "id"),
}

# Columns never written to an export: secrets, or what would let one check a guessed secret.
SECRET_COLUMNS = {
    "users": {"password_hash"},
    "api_tokens": {"digest"},
}


def owned_tables(metadata: MetaData) -> list[Table]:
    """Return the tables whose rows belong to jurisdictions, parents before children."""
    owned: list[Table] = []
    names: set[str] = set()
    changed = True
    while changed:
        changed = False
        for table in metadata.sorted_tables:
            if table.name in names:
                continue
            if table.name == ROOT or any(parent in names for parent in _parents(table)):
                owned.append(table)
                names.add(table.name)
                changed = True
    order: dict[str, float] = {
        table.name: index for index, table in enumerate(metadata.sorted_tables)
    }
    # A table with a soft key comes after its parent too, so removal deletes it first.
    for (name, _), (parent, _) in SOFT_KEYS.items():
        order[name] = max(order[name], order[parent] + 0.5)
    return sorted(owned, key=lambda table: order[table.name])


def _parents(table: Table) -> list[str]:
    """Return the names of the tables ``table`` points at, by foreign or soft key."""
    soft = [parent for (name, _), (parent, _) in SOFT_KEYS.items() if name == table.name]
    return [fk.column.table.name for fk in table.foreign_keys] + soft


def exportable_columns(table: Table) -> list:
    """Return the table's columns without its secrets."""
    secret = SECRET_COLUMNS.get(table.name, set())
    return [column for column in table.columns if column.name not in secret]


@dataclass
class JurisdictionRows:
    """The WHERE clause for each table's rows of one jurisdiction."""

    metadata: MetaData
    jurisdiction_id: int

    def __post_init__(self) -> None:
        self.owned = owned_tables(self.metadata)
        self._names = {table.name for table in self.owned}
        self._conditions: dict[str, ColumnElement[bool]] = {}

    def condition(self, table: Table) -> ColumnElement[bool]:
        """Return the condition selecting ``table``'s rows of the jurisdiction."""
        if table.name not in self._conditions:
            self._conditions[table.name] = self._build(table)
        return self._conditions[table.name]

    def _build(self, table: Table) -> ColumnElement[bool]:
        if table.name == ROOT:
            return table.c.id == self.jurisdiction_id
        tests = []
        for constraint in table.foreign_key_constraints:
            parent = constraint.referred_table
            # A key to the table itself (a case naming its answer key) adds no rows:
            # the row is the jurisdiction's through its other keys.
            if parent.name not in self._names or parent is table:
                continue
            tests.append(self._points_into(constraint, parent, self.condition(parent)))
        for (name, column), (parent_name, parent_column) in SOFT_KEYS.items():
            if name == table.name and parent_name in self._names:
                parent = self.metadata.tables[parent_name]
                keys = select(parent.c[parent_column]).where(self.condition(parent))
                tests.append(table.c[column].in_(keys))
        return or_(*tests) if tests else false()

    @staticmethod
    def _points_into(constraint, parent: Table, condition) -> ColumnElement[bool]:
        local = [element.parent for element in constraint.elements]
        remote = [element.column for element in constraint.elements]
        keys = select(*remote).where(condition)
        if len(local) == 1:
            return local[0].in_(keys)
        return tuple_(*local).in_(keys)

    def referenced_globals(self) -> dict[str, ColumnElement[bool]]:
        """Return, per global table the jurisdiction's rows point at, the rows they name.

        These are exported (without secrets) so the export is complete in itself,
        but they are not the jurisdiction's and are never removed with it.
        """
        found: dict[str, list] = {}
        tables: dict[str, Table] = {}
        for table in self.owned:
            for constraint in table.foreign_key_constraints:
                parent = constraint.referred_table
                if parent.name in self._names:
                    continue
                tables[parent.name] = parent
                local = [element.parent for element in constraint.elements]
                remote = [element.column for element in constraint.elements]
                named = select(*local).where(self.condition(table))
                target = remote[0] if len(remote) == 1 else tuple_(*remote)
                found.setdefault(parent.name, []).append(target.in_(named))
        return {name: or_(*tests) for name, tests in found.items()}
