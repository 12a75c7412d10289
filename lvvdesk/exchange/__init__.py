"""Signing keys, trust store and exchange packages."""
