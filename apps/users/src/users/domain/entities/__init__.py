"""Entities: the account, its linked social accounts and its characters."""
