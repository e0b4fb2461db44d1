"""Read use cases: validate an access token, list sessions."""
