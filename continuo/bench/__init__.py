"""Benchmarks and simulations: they drive the real services, and ship outside the backend."""
