"""Audit requests."""
