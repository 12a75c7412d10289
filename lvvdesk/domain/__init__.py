"""Pure domain model: vocabulary, field catalogue, site profiles, validation. No I/O."""
