"""Domain errors, each with a stable code."""
