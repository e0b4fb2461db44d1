"""httpx client of the users service internal API: pooling, retries, circuit breaker."""
