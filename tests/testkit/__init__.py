"""Test infrastructure shared by every service's tests: throwaway databases and
Redis namespaces on real servers (testcontainers when Docker answers, else the
servers in TEST_DATABASE_URL / TEST_REDIS_URL, defaulting to the local ones)."""
