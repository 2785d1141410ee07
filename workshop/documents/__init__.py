"""Documents on a workshop or an agenda item: upload, versions, visibility, downloads."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from workshop.platform import registry, uploads
from workshop.platform.audit.labels import ACTION_LABELS


def init_app(app: Flask) -> None:
    from workshop.documents import demo, service, views

    app.register_blueprint(views.bp)
    for endpoint in ("documents.upload", "documents.replace"):
        uploads.allow_larger_request(app, endpoint, service.upload_limit)
    registry.public_link(app, views.public_link, order=40)
    registry.manage_link(app, views.manage_link)
    registry.contribute(app, "workshop page", views.workshop_page_part)
    registry.contribute(app, "agenda items", views.agenda_parts)
    registry.contribute(app, "agenda.json", views.agenda_json_parts)
    registry.demo_loader(app, demo.load)
    ACTION_LABELS["document.uploaded"] = _l("Document uploaded")
    ACTION_LABELS["document.replaced"] = _l("Document replaced by a new version")
    ACTION_LABELS["document.changed"] = _l("Document details changed")
    ACTION_LABELS["document.removed"] = _l("Document removed")
