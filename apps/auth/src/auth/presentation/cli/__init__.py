"""The command line of the auth PEX beyond `serve` and `migrate`."""
