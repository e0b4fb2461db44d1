"""Prometheus metrics of the auth service."""
