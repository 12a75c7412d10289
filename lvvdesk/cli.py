"""Command line (placeholder, filled in below)."""


def main() -> int:
    """Entry point."""
    return 0
