"""Drivers for the devices at a customer's site, each behind a narrow async interface."""
