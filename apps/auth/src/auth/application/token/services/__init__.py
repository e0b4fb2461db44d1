"""The token system facade."""
