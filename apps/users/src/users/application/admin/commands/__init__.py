"""Admin writes: disable, enable."""
