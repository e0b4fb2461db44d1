"""Tests of the users service: unit/ (no I/O) and integration/ (real PostgreSQL/Redis)."""
