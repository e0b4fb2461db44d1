"""Routers of the auth HTTP API."""
