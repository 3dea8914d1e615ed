"""Needs state: snapshots from rows, observing readings, applying decisions."""
