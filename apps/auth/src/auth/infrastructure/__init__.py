"""Adapters: PostgreSQL audit, Redis sessions and denylist, OAuth providers, users client."""
