"""The `users` schema's mapper registry and MetaData (servicekit's named constraints)."""

from __future__ import annotations

from servicekit.persistence import schema_registry

SCHEMA = "users"

mapper_registry = schema_registry(SCHEMA)
metadata = mapper_registry.metadata
