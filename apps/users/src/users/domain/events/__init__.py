"""Domain events the service publishes (through its outbox)."""
