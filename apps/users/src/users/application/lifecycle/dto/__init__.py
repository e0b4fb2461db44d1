"""Lifecycle requests and responses."""
