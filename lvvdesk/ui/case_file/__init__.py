"""The case file: one window per case, a page per section of the field catalogue."""
