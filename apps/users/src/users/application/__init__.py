"""Use cases, foldered by feature (profile, character, identity) plus common."""
