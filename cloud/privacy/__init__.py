"""Data trust: consent, data rights, audit and retention."""
