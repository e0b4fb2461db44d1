"""Routes over httpx with real tokens."""
