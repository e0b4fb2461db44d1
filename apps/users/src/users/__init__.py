"""Eco² users service: accounts, linked social accounts, owned characters."""
