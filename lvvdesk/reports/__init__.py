"""PDF rendering and monitor tables."""
