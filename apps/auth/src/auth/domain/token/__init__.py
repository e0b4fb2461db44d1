"""Tokens and sessions: what a signed token says and what a login session is."""
