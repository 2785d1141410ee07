"""Link tokens for invitations and registrations (the platform's, under their old address)."""

from workshop.platform.tokens import hash_token, new_token  # noqa: F401
