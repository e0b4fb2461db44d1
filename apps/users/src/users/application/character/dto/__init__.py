"""Character requests and responses."""
