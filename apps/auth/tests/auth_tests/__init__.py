"""Tests of the auth service: unit/ (no I/O) and integration/ (real PostgreSQL/Redis)."""
