"""The link between an account and a provider beyond the login: the provider's refresh
token kept for it, and ending the link at the provider when the account is deleted."""
