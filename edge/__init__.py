"""The edge agent that runs on the customer's Raspberry Pi, and the installer's CLI."""
