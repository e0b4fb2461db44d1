"""OAuth login: authorization URLs, callbacks, provider and state ports (write-only)."""
