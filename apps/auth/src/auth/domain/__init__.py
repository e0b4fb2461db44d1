"""Domain model of logins and sessions: plain Python, no framework."""
