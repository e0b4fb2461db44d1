"""Identity requests and responses."""
