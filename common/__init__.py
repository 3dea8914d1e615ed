"""What the edge and the cloud share: the wire contract, the clock and the root error."""
