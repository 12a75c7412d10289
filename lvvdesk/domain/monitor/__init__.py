"""The national monitor tables, computed from the case files' facts at a reference date."""
