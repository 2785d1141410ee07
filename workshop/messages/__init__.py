"""Messages organizers write to a chosen group of a workshop's participants."""

from flask import Flask

from workshop.platform import registry


def init_app(app: Flask) -> None:
    from workshop.messages import links, service, team
    from workshop.messages.views import bp

    app.register_blueprint(bp)
    registry.manage_link(app, links.manage_messages_link)
    registry.mail_renderer(app, "composed_message", service.write_composed, many=service.write_composed_many)
    registry.housekeeping_job(app, team.send_digests)
