"""Alembic environment. Always run through ``tuan.core.migrate`` (``tuan db upgrade``), which hands
in an open connection so the same code path serves the CLI, the server start-up and the tests."""

from __future__ import annotations

from alembic import context

from tuan.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("run migrations with 'tuan db upgrade' (it supplies the connection)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
