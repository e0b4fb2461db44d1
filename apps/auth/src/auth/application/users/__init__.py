"""The users service as seen from auth: identity get-or-create, login records, lookups."""
