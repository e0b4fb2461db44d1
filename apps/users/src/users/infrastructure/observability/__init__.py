"""Metrics of the users service's own workers."""
