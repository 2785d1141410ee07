"""Invitations, registration, capacity and waitlist, self-service, exports and retention."""

from flask import Flask

from workshop.platform import registry


def init_app(app: Flask) -> None:
    from workshop.registration import (category_views, commands, confirmation, demo, invitations, links,  # noqa: F401
                                       manage_views, notify, retention, session_notices, unsubscribe_views, views)
    from workshop.registration.blueprint import bp  # the *views modules add their routes to it

    app.register_blueprint(bp)
    registry.public_link(app, links.public_register_link)
    registry.public_link(app, links.public_participants_link)
    registry.manage_link(app, links.manage_registrations_link)
    registry.manage_link(app, links.manage_invitations_link)
    registry.manage_link(app, links.manage_contacts_link)
    registry.mail_renderer(app, "invitation", notify.write_invitation)
    registry.mail_renderer(app, notify.STATE_CHANGE_KIND, notify.write_state_change)
    registry.demo_loader(app, demo.load)
    registry.housekeeping_job(app, retention.housekeeping)
    registry.housekeeping_job(app, invitations.expire_all_overdue)
    registry.housekeeping_job(app, confirmation.expire_unconfirmed)
    registry.worker_round_job(app, session_notices.send_due_notices)
    app.cli.add_command(commands.purge_command)
