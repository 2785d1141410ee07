"""The takeaways memo: compile from notes, non-attribution check, publish, PDF."""

from flask import Flask

from workshop.platform import registry, stored_pdfs


def init_app(app: Flask) -> None:
    from workshop.memos import check_views, check_words, demo, rendering, views  # noqa: F401  (check_views: its routes)

    app.register_blueprint(views.bp)
    registry.public_link(app, views.public_link)
    registry.manage_link(app, views.manage_link)
    registry.demo_loader(app, demo.load)
    app.add_template_filter(check_words.describe_source, "check_source")
    app.add_template_filter(check_words.reason_params, "check_reason_params")
    registry.worker_round_job(app, rendering.render_waiting)
    stored_pdfs.renderer(app, "memo preview", rendering.render_draft)
