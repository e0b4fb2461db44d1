"""Unit tests: setup."""
