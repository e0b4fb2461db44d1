"""An account's life after sign-up: the deletion request, its grace period, the restore,
and the purge once the grace period is over."""
