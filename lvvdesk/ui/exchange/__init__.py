"""Exchange with partner organisations: the trust store, preparing an LSO meeting's
packages (and choosing its agenda), and opening a received package."""
