"""The words a reader sees for a stored state.

States are stored as plain codes ('waitlisted', 'in_review'). Each feature names the label of
its states once, beside their enum, and templates show ``value|state_label("registration")``
so that the reader sees "sur liste d'attente" rather than the code. The kind is needed because
the same code means different things: a pending invitation awaits a reply, a pending
registration awaits the organizers.
"""

from flask import Flask

_LABELS: dict[str, dict[str, object]] = {}


def name_states(kind: str, labels: dict) -> None:
    """Labels (lazy strings) of one kind of state, by code."""
    _LABELS[kind] = {str(code): label for code, label in labels.items()}


def state_label(value, kind: str) -> str:
    """The label of ``value`` in the reader's language; an unknown code is shown as it is."""
    if value is None:
        return ""
    label = _LABELS.get(kind, {}).get(str(value))
    return str(label) if label is not None else str(value)


def state_choices(kind: str) -> list[tuple[str, str]]:
    """(code, label) of every state of ``kind``, for a select."""
    return [(code, str(label)) for code, label in _LABELS.get(kind, {}).items()]


def init_app(app: Flask) -> None:
    app.jinja_env.filters["state_label"] = state_label
