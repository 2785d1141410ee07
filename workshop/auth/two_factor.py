"""Two-factor sign-in: time-based codes (RFC 6238, pyotp) and one-time recovery codes.

The secret is shown once as a QR code (drawn here by segno as inline SVG, never by an outside
service) and as text; it is kept only once the owner has typed a code it produced.
Recovery codes are shown once too and stored as SHA-256 digests.
"""

import hashlib
import io
import re
import secrets

import pyotp
import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from workshop.auth.models import RecoveryCode, User
from workshop.platform import audit
from workshop.platform.db import db
from workshop.platform.errors import N_, UserError
from workshop.platform.types import utcnow

RECOVERY_CODES = 10
_CODE = re.compile(r"^\d{6}$")


class TwoFactorError(UserError):
    pass


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    issuer = current_app.config.get("TWO_FACTOR_ISSUER") or "workshop"
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_svg(uri: str) -> Markup:
    """The QR code as an inline ``<svg>``: no ``style`` attribute (the CSP refuses them)."""
    import segno  # only on the page that turns two-factor sign-in on, not in every worker

    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True,
                                    title="QR", svgclass="qr-code", lineclass=None, omitsize=False)
    return Markup(out.getvalue().decode("utf-8"))


def _normalized(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def code_is_current(secret: str, code: str) -> bool:
    code = _normalized(code)
    # One step either side: a phone's clock a little off still works.
    return bool(_CODE.match(code)) and pyotp.TOTP(secret).verify(code, valid_window=1)


def _digest(code: str) -> str:
    return hashlib.sha256(_normalized(code).encode("utf-8")).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    return codes


def enable(user: User, secret: str, code: str) -> list[str]:
    """Turn two-factor on once ``code`` proves the app holds ``secret``; the recovery codes,
    to be shown once."""
    if not code_is_current(secret, code):
        raise TwoFactorError(N_("That code is not right. Enter the 6 digits your app shows now."))
    user.totp_secret = secret
    codes = _new_recovery_codes(user)
    audit.record("account.two_factor_enabled", actor=user, target=user, email=user.email)
    db.session.flush()
    return codes


def disable(user: User, code: str, *, by=None) -> None:
    if not verify(user, code):
        raise TwoFactorError(N_("That code is not right. Enter the 6 digits your app shows now, or a recovery code."))
    user.totp_secret = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("account.two_factor_disabled", actor=by or user, target=user, email=user.email)
    db.session.flush()


def verify(user: User, code: str) -> bool:
    """A current time-based code, or an unused recovery code (which is then used up)."""
    if not user.totp_secret:
        return False
    if code_is_current(user.totp_secret, code):
        return True
    if not _normalized(code) or len(code) > 40:
        return False
    row = db.session.scalar(sa.select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code), RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    db.session.flush()
    return True


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0
