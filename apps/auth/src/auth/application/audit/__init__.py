"""Login audit: building audit records (pure) and the port that stores them."""
