"""Orders: the catalog, fulfilment providers, placing and tracking."""
