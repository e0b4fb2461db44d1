"""The purge worker's loop (the use case it runs is `PurgeDueAccountsInteractor`)."""
