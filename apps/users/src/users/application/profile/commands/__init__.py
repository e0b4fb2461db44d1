"""Profile writes: update, delete."""
