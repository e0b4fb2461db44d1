"""Login audit: building audit records (pure), the port that stores them, and the
fallback that logs a row its database did not take."""
