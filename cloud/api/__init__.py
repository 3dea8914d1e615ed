"""The REST API, its access rules, schemas and the dashboard's routes."""
