"""Pure logic of the provider links (retry delays) and the login's best-effort token keeping."""
