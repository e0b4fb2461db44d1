"""Admin requests and responses."""
