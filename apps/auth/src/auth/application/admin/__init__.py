"""What administrators do through auth's admin API: end a user's sessions (one or all),
read a user's login audit. Every call is recorded with the administrator's name."""
