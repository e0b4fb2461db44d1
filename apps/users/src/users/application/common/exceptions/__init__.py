"""Base application errors."""
