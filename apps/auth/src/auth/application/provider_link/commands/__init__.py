"""Write use cases of the provider links."""
