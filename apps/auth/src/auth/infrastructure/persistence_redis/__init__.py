"""Redis adapters: sessions and refresh rotation, denylist, revocation stream."""
