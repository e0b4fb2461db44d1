"""Contracts with the outside world: issuer, session store, blacklist, revocation events."""
