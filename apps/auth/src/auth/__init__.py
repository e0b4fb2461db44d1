"""Eco² auth service: OAuth login, tokens, sessions, revocation, validation."""
