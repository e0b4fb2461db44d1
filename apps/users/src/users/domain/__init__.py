"""Domain model of accounts: plain Python, no framework."""
