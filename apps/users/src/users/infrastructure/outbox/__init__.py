"""The transactional outbox: the writer (a row in the request's transaction), its table
and mapping, and the relay that publishes the rows to a Redis Stream, at least once."""
