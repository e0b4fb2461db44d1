"""Character reads."""
