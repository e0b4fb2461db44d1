"""HTTP surface of the auth service."""
