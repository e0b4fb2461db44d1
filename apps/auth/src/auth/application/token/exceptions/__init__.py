"""Errors raised by the token feature, each with a stable code."""
