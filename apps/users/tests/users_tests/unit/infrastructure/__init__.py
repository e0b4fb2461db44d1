"""Unit tests: infrastructure."""
