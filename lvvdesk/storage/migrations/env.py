"""Alembic environment: migrations always run on the vault's already-keyed connection."""

from alembic import context

from lvvdesk.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
context.run_migrations()
