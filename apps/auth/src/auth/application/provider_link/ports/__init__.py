"""Ports of the provider links: the token store, the unlink ledger, the providers."""
