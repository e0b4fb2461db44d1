"""Unit tests: profile."""
