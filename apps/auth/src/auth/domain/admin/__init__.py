"""What administrators do, as audit records."""
