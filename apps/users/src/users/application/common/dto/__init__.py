"""DTOs every feature shares."""
