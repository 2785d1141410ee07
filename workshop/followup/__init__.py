"""What follows the memo: recommendations followed up, series pages, the internal record and
the participants' read-out."""

from flask import Flask

from workshop.platform import registry, stored_pdfs


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from workshop.followup import demo, outputs, views
    from workshop.platform.audit import ACTION_LABELS
    from workshop.platform.audit.words import DETAIL_LABELS, KIND_WORDS

    app.register_blueprint(views.bp)
    registry.public_link(app, views.public_link, order=55)
    registry.manage_link(app, views.manage_recommendations_link, order=61)
    registry.manage_link(app, views.manage_outputs_link, order=62)
    registry.contribute(app, "workshop page", views.workshop_page_part)
    registry.contribute(app, "registrant material", views.registration_page_part)
    registry.demo_loader(app, demo.load)
    stored_pdfs.renderer(app, "record", outputs.render_record_pdf)
    ACTION_LABELS.update({
        "recommendations.numbered": _l("Recommendations numbered from the published memo"),
        "recommendation.status_changed": _l("Recommendation: status changed"),
        "recommendation.changed": _l("Recommendation: owner or meeting changed"),
        "recommendation.updated": _l("Recommendation: update recorded"),
        "record.frozen": _l("Internal record or read-out frozen"),
        "series.created": _l("Series created"),
    })
    KIND_WORDS.update({"Recommendation": _l("recommendation"), "RecordVersion": _l("frozen output"),
                       "Series": _l("series")})
    DETAIL_LABELS.update({"number": _l("Number"), "on": _l("Date"), "added": _l("Added"), "total": _l("Total"),
                          "kind": _l("Kind"), "owner": _l("Owner"), "meant_for": _l("Meant for")})
