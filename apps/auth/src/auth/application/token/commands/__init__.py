"""Write use cases: refresh, logout, revoke all, revoke one session."""
