"""What every users feature shares: the transaction boundary and base errors."""
