"""The in-process copy of the revocation state that `/validate` answers from."""
