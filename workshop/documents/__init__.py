"""Documents on a workshop or an agenda item: upload, versions, visibility, downloads."""

from flask import Flask

from workshop.platform import registry, uploads


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
