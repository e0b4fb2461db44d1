"""Pure logic every feature shares."""
