"""What the background loops (the outbox relay, the purge) share: waiting, backing off."""
