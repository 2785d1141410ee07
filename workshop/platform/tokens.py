"""Link tokens: 256 random bits, shown once in an email, stored only as a SHA-256 digest."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # surrogatepass: a hostile path segment cannot make hashing fail.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
