"""The users' event stream, consumed in a Redis consumer group: `user.deleted` revokes all."""
