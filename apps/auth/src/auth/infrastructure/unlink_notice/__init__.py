"""Verifiers of the providers' unlink notices (Kakao's admin key, Naver's HMAC and AES)
and the Redis store that refuses replays."""
