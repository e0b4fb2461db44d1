"""Unit tests: character."""
