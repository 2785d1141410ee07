"""The workshop record, its organizations and team, the organizer's overview and activity log."""

from flask import Flask

from workshop.platform import registry


def init_app(app: Flask) -> None:
    from workshop.platform import public_cache
    from workshop.workshops import attribution_rules, audit_views, manage_views, views
    from workshop.workshops.models import PUBLIC_STATUSES

    public_cache.install(public_statuses=PUBLIC_STATUSES)

    app.register_blueprint(views.bp)
    app.register_blueprint(manage_views.bp)
    app.register_blueprint(audit_views.bp)
    registry.manage_link(app, audit_views.manage_link, order=90)  # the log comes last
    app.after_request(views.keep_previews_private)
    app.context_processor(views.draft_preview_context)
    # Pages, letters and the notes editor say which rule a workshop or session is held under.
    app.add_template_filter(attribution_rules.label, "rule_label")
    app.add_template_filter(attribution_rules.explanation, "rule_explanation")
