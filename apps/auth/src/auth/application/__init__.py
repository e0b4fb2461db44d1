"""Use cases, foldered by feature (oauth, token, users, audit) plus common."""
