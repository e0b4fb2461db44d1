"""The login audit: an append-only record of every login attempt and refresh reuse."""
