"""Identity reads."""
