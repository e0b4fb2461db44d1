"""OAuth provider adapters (httpx, PyJWT) and the Redis store of pending login states."""
