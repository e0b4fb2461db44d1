"""What every auth feature shares: the transaction boundary and base errors."""
