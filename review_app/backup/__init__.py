"""Backups of the whole database, and the export and removal of one jurisdiction."""
