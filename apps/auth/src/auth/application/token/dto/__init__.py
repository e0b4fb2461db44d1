"""Requests and responses of the token use cases."""
