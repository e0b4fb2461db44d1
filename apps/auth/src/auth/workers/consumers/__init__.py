"""Stream consumers."""
