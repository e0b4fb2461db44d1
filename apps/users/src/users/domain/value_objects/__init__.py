"""Value objects: the values that carry rules."""
