"""The `auth` schema's mapper registry and MetaData (servicekit's named constraints)."""

from __future__ import annotations

from servicekit.persistence import schema_registry

SCHEMA = "auth"

mapper_registry = schema_registry(SCHEMA)
metadata = mapper_registry.metadata
