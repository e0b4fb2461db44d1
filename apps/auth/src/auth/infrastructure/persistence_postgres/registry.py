"""The `auth` schema's MetaData, with named constraints (errors map by name)."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import registry

SCHEMA = "auth"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(schema=SCHEMA, naming_convention=NAMING_CONVENTION)
mapper_registry = registry(metadata=metadata)
