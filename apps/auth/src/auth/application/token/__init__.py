"""Tokens: issuing, refresh rotation, revocation, validation, sessions."""
