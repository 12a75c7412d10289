"""Exchange with partner organisations: the trust store, preparing an LSO meeting's
packages, and opening a received package."""
