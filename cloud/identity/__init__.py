"""Who is who: users and sessions, the device registry, provisioning, broker accounts, TLS."""
