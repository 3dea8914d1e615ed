"""Persistence: database start-up, ORM rows, migrations and the change feed."""
