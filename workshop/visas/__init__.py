"""Letters of invitation for visas: a template per workshop, numbered PDF letters issued to the
participants who need one, mailed and kept as issued."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from workshop.platform import registry
from workshop.platform.audit.labels import ACTION_LABELS


def init_app(app: Flask) -> None:
    from workshop.visas import demo, parts, service
    from workshop.visas.views import bp

    app.register_blueprint(bp)
    registry.contribute(app, "registrant answers", parts.registrant_answers)
    registry.mail_renderer(app, "visa_letter", service.write_letter_mail)
    registry.worker_round_job(app, service.render_waiting)
    registry.demo_loader(app, demo.load)
    ACTION_LABELS.update({
        "visa_letter.template_saved": _l("Letter of invitation changed"),
        "visa_letter.issued": _l("Letter of invitation issued"),
        "visa_letter.regenerated": _l("Letter of invitation written again"),
    })
