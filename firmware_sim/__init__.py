"""Simulated device firmware speaking the real wire protocols, for tests and the demo."""
