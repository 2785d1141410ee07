"""What a password must be: at least ``MIN_PASSWORD_LENGTH`` characters and not one of the
commonly used passwords shipped in ``data/common_passwords.txt``."""

from functools import cache
from pathlib import Path

from wtforms.validators import ValidationError

from workshop.platform.errors import N_, UserError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 500
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common_passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str) -> UserError | None:
    """Why ``password`` will not do, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return UserError(N_("The password must have at least %(count)d characters."), count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return UserError(N_("The password may have at most %(count)d characters."), count=MAX_PASSWORD_LENGTH)
    if password.strip().lower() in common_passwords():
        return UserError(N_("This password is one of the most commonly used ones. Choose another."))
    return None


def strong_password(form, field) -> None:
    """A WTForms validator: the rules above as a field error."""
    problem = password_problem(field.data or "")
    if problem is not None:
        raise ValidationError(problem.translated())
