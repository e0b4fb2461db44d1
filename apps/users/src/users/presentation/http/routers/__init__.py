"""FastAPI routers: public /api/v1/users and internal /internal/v1."""
