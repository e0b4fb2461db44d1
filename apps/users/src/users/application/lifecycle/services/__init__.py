"""The facade that erases an account."""
