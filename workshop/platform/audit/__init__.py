"""The audit log: who did what, written in the same transaction as the change.

Features call ``audit.record("registration.withdrawn", workshop=w, target=registration,
actor="registrant via token", reason=...)`` inside their service function, before its commit, and
may add words for their actions to ``ACTION_LABELS``.
"""

from workshop.platform.audit.labels import ACTION_LABELS, describe  # noqa: F401
from workshop.platform.audit.service import entries_for, record  # noqa: F401
