"""The cloud backend: ingest, decisions, fulfilment, API and operations dashboard."""
