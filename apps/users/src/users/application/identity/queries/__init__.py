"""Identity reads: the owner's linked accounts; who an identity belongs to (auth)."""
