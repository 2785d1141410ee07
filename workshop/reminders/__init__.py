"""Reminders that go out by themselves: rules per workshop, run by the worker's job runner at the
due hour in the workshop's time zone, each reaching each person once; and their timeline."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from workshop.platform import registry
from workshop.platform.audit import ACTION_LABELS


def init_app(app: Flask) -> None:
    from workshop.reminders import links, service
    from workshop.reminders.views import bp

    app.register_blueprint(bp)
    registry.manage_link(app, links.manage_reminders_link)
    registry.job_handler(app, service.JOB_KIND, service.run_rule)
    registry.mail_renderer(app, service.MAIL_KIND, service.write_reminder)
    ACTION_LABELS["reminder.added"] = _l("Reminder set up")
    ACTION_LABELS["reminder.removed"] = _l("Reminder removed")
