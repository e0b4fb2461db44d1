"""HTTP request/response models."""
