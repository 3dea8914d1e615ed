"""MQTT ingest: admit, store and acknowledge what devices send."""
