"""Requests, responses and records of the provider links."""
