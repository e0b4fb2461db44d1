"""Alembic migrations of the `auth` schema (version table `auth.alembic_version`)."""

from __future__ import annotations

from pathlib import Path

SCRIPT_LOCATION = Path(__file__).parent
