"""Form definitions and answers (pure)."""
