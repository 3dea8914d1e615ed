"""Alerts: incidents, what each kind means, receivers, escalation and the site watchdog."""
