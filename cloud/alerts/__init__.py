"""Alerts: incidents, the escalation ladder and notification channels."""
