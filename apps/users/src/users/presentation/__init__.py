"""HTTP surface of the users service."""
