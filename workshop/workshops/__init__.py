"""The workshop record, its organizations and team, the organizer's overview and activity log."""

from flask import Flask

from workshop.platform import registry


def init_app(app: Flask) -> None:
    from workshop.platform import public_cache
    from flask_babel import lazy_gettext as _l

    from workshop.platform.audit import ACTION_LABELS
    from workshop.workshops import attribution_rules, audit_views, manage_views, team, team_views, views
    from workshop.workshops.models import PUBLIC_STATUSES

    public_cache.install(public_statuses=PUBLIC_STATUSES)

    app.register_blueprint(views.bp)
    app.register_blueprint(manage_views.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(team_views.bp)
    registry.memberships(app, team.memberships)
    ACTION_LABELS.update({
        "team.invitation_sent": _l("Invited to the team by email"),
        "team.invitation_resent": _l("Team invitation sent again"),
        "team.invitation_revoked": _l("Team invitation withdrawn"),
        "team.invitation_accepted": _l("Team invitation accepted"),
    })
    registry.manage_link(app, audit_views.manage_link, order=90)  # the log comes last
    app.after_request(views.keep_previews_private)
    app.context_processor(views.draft_preview_context)
    # Pages, letters and the notes editor say which rule a workshop or session is held under.
    app.add_template_filter(attribution_rules.label, "rule_label")
    app.add_template_filter(attribution_rules.explanation, "rule_explanation")
