"""Identity writes."""
