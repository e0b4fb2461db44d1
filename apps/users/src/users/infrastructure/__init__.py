"""Adapters: PostgreSQL persistence, Redis streams, token verification."""
