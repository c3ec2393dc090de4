"""A benchmark of the application on a national dataset in PostgreSQL (see bench/README.md)."""
