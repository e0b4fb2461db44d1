"""HTTP request and response models (pydantic), with OpenAPI examples."""
