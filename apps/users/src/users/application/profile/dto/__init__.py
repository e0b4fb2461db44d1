"""Profile requests and responses."""
