"""Unit tests: identity."""
