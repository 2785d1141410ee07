"""The takeaways memo: compile from notes, non-attribution check, publish, PDF."""

from flask import Flask

from workshop.platform import registry


def init_app(app: Flask) -> None:
    from workshop.memos import demo, rendering, views

    app.register_blueprint(views.bp)
    registry.public_link(app, views.public_link)
    registry.manage_link(app, views.manage_link)
    registry.demo_loader(app, demo.load)
    registry.worker_round_job(app, rendering.render_waiting)
