"""What administrators do to accounts (the internal admin API): disable and enable.
Every call is recorded with the administrator's name."""
