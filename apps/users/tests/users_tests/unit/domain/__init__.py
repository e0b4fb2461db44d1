"""Unit tests: domain."""
