"""Errors of ending a link at a provider."""
