"""Profile reads."""
