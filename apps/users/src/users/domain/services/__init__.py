"""Domain services: rules that span values of an account."""
