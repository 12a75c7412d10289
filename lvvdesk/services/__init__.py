"""The one entry to data: use cases, permissions, audit, units of work."""
