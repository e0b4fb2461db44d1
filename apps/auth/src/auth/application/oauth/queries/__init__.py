"""Read use cases: list the providers a browser can sign in with."""
