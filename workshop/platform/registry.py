"""What features contribute to the app, kept per app in ``app.extensions``.

Each feature's ``init_app(app)`` adds its parts here (links on the workshop's pages, mail
renderers for mail the worker writes later, demo loaders, housekeeping and per-round jobs); ``create_app``
calls the features in the order of ``workshop.FEATURES``, so that order is the order of the
buttons, of the demo steps and of the jobs. Nothing is added by importing a module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app

KEY = "workshop.registry"


@dataclass
class Link:
    """A button on a workshop's public page or organizer overview: ``provider(workshop)``
    returns ``(label, url)`` or None (not shown); lower ``order`` comes first, ties keep the
    order in which the features were set up."""

    provider: Callable
    order: int = 50


@dataclass
class Registry:
    public_links: list[Link] = field(default_factory=list)
    manage_links: list[Link] = field(default_factory=list)
    mail_renderers: dict[str, Callable] = field(default_factory=dict)
    mail_batch_renderers: dict[str, Callable] = field(default_factory=dict)
    demo_loaders: list[Callable] = field(default_factory=list)
    housekeeping: list[Callable] = field(default_factory=list)
    worker_rounds: list[Callable] = field(default_factory=list)
    worker_long_jobs: list[Callable] = field(default_factory=list)
    job_handlers: dict[str, Callable] = field(default_factory=dict)
    pdf_renderers: dict[str, Callable] = field(default_factory=dict)
    reactions: dict[str, list[Callable]] = field(default_factory=dict)
    memberships: list[Callable] = field(default_factory=list)
    contributions: dict[str, list[Callable]] = field(default_factory=dict)


def install(app: Flask) -> Registry:
    return app.extensions.setdefault(KEY, Registry())


def registry(app: Flask | None = None) -> Registry:
    return (app or current_app).extensions[KEY]


def public_link(app: Flask, provider: Callable, *, order: int = 50) -> None:
    registry(app).public_links.append(Link(provider, order))


def manage_link(app: Flask, provider: Callable, *, order: int = 50) -> None:
    registry(app).manage_links.append(Link(provider, order))


def mail_renderer(app: Flask, kind: str, function: Callable, *, many: Callable | None = None) -> None:
    """``function(args) -> Letter`` writes the mail queued with ``queue_mail_later(..., kind)``.
    ``many(list of args) -> list of Letter or exception``, if given, writes a batch of them at
    once, so what they share (one message to many people) is loaded and rendered once; the
    mail worker uses it for the messages it writes together."""
    renderers = registry(app).mail_renderers
    if kind in renderers and renderers[kind] is not function:
        raise ValueError(f"two mail renderers named {kind!r}")
    renderers[kind] = function
    if many is not None:
        registry(app).mail_batch_renderers[kind] = many


def demo_loader(app: Flask, function: Callable) -> None:
    """``function(demo_context)`` adds the feature's part of ``flask demo``."""
    registry(app).demo_loaders.append(function)


def housekeeping_job(app: Flask, function: Callable) -> None:
    """``function()`` run by the mail worker on start and then hourly; the worker commits."""
    registry(app).housekeeping.append(function)


def worker_round_job(app: Flask, function: Callable) -> None:
    """``function()`` run by the mail worker at the start of every round (every few seconds,
    and by ``worker --once``), before it delivers; the worker commits. For work that must not
    wait an hour, such as writing mail that has become due."""
    registry(app).worker_rounds.append(function)


def worker_long_job(app: Flask, function: Callable) -> None:
    """``function() -> int`` does one piece of long work that is due (one briefing pack, which
    may take minutes) and commits it; it returns how many it did (0 when nothing is due). The
    mail worker calls it after it has delivered the mail that is due, one piece per round, and
    delivers again before the next piece: mail never waits behind more than the piece in hand."""
    registry(app).worker_long_jobs.append(function)


def job_handler(app: Flask, kind: str, function: Callable) -> None:
    """``function(args, now) -> datetime | None`` runs the jobs scheduled as ``kind`` with
    ``workshop.platform.jobs.schedule``; it returns when the job is due again (None: finished)."""
    handlers = registry(app).job_handlers
    if kind in handlers and handlers[kind] is not function:
        raise ValueError(f"two job handlers named {kind!r}")
    handlers[kind] = function


def memberships(app: Flask, provider: Callable) -> None:
    """``provider(user)`` returns ``(title, url, role)`` for each workshop the account belongs
    to; the account page (an earlier feature than the workshops) lists them."""
    registry(app).memberships.append(provider)


def contribute(app: Flask, where: str, provider: Callable) -> None:
    """A later feature's part of an earlier feature's page: ``provider(*args)`` is called by
    ``contributions(where, *args)``. Where they are read, and what they return:

    - ``"workshop page"``, ``(workshop)``: HTML (Markup) shown on the public workshop page, or None;
    - ``"agenda items"``, ``(workshop)``: ``{item_id: Markup}`` shown under each session of the
      public agenda (None for the workshop itself, shown above the days);
    - ``"agenda.json"``, ``(workshop)``: ``{item_id: {key: value}}`` added to each item of
      ``agenda.json`` (None: to the workshop; "*": to every item, before its own);
    - ``"memo approval"``, ``(memo)``: ``(msgid, params)`` of a reason the memo may not be
      approved yet, or None;
    - ``"registration form"``, ``(workshop, registration or None)``: a part of the registration
      form (and of its edit form) with ``render()``, ``validate(category_id)``, ``errors`` and
      ``save(registration)``, or None;
    - ``"registrant page"``, ``(registration, token)``: Markup on the registrant's own page;
      ``"registrant answers"``, ``(registration, token)``: Markup inside that part;
    - ``"registration detail"``, ``(registration)``: Markup on the organizer's page of one registration;
    - ``"registrations dashboard"``, ``(workshop)``: Markup at the top of the organizer's list;
    - ``"registration filters"``, ``(workshop, query args)``: an object with ``html`` (more filter
      fields) and ``registration_ids`` (a set to keep, or None: no filter chosen);
    - ``"registration export"``, ``(workshop, include_sensitive)``: ``[(title, get(registration))]``
      more export columns.
    - ``"registrant material"``, ``(registration, token)``: Markup on that page after the
      documents (the briefing pack, the participants' read-out), or None.
    - ``"letter"``, ``(kind, workshop, language, person, pinned)``: an organizer's edited text for one of
      the registration feature's letters, as that person reads it (an object with ``subject``,
      ``text``, ``html``, ``version_id``), or None for the default text.
      ``pinned``: "current", or the id of a version (None: the default) decided on earlier;
    - ``"letter version"``, ``(kind, workshop, language)``: the id of the edited version in use, or None.
    """
    registry(app).contributions.setdefault(where, []).append(provider)


def contributions(where: str, *args) -> list:
    """What the features gave for ``where``, in FEATURES order, Nones left out."""
    answers = (provider(*args) for provider in registry().contributions.get(where, ()))
    return [answer for answer in answers if answer is not None]


def contributions_by_key(where: str, *args) -> dict:
    """The ``{key: value}`` answers for ``where`` merged: ``{key: [value, ...]}``."""
    merged: dict = {}
    for answer in contributions(where, *args):
        for key, value in answer.items():
            merged.setdefault(key, []).append(value)
    return merged
