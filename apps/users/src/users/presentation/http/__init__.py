"""FastAPI routers and schemas."""
