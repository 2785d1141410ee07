"""What a feature does when something happens in a feature listed before it: the one table.

Lower features announce (``workshop.platform.events.announce``); the reactions below run in the
announcer's transaction, in the order listed. This is the only place where a reaction runs
against the order of ``workshop.FEATURES``.
"""

from flask import Flask

from workshop.briefing import service as briefing
from workshop.memos import acceptance as memo_acceptance
from workshop.visas import service as visas
from workshop.followup import service as followup
from workshop.messages import team
from workshop.questions import service as questions
from workshop.platform import events
from workshop.registration import notify, session_notices
from workshop.reviews import service as reviews
from workshop.registration import settings as registration_settings

REACTIONS = {
    # A new workshop gets its registration settings and default participant categories.
    "workshop.created": [registration_settings.set_up],
    # Confirmed participants get the workshop's calendar event again, or its cancellation.
    "workshop.moved": [notify.workshop_moved, briefing.mark_workshop],
    "workshop.cancelled": [notify.workshop_cancelled],
    # Confirmed participants of a published workshop hear about new, moved and cancelled
    # sessions: noted now, told by the mail worker after a quiet period.
    "agenda.session_added": [session_notices.session_added, briefing.mark_workshop],
    "agenda.session_moved": [session_notices.session_moved, briefing.mark_workshop],
    "agenda.session_cancelled": [session_notices.session_cancelled, briefing.mark_workshop],
    # Briefing packs show the agenda and the documents: any change makes them due again (the
    # worker rebuilds them); taking a seat wants one, giving it up takes it away.
    "agenda.item_changed": [briefing.mark_workshop],
    "documents.changed": [briefing.mark_workshop],
    # The workshop's team hears of registrations and declines (at once or in a daily digest),
    # of notes submitted or approved and of the memo going to review or being published.
    "registration.state_changed": [team.registration_changed, briefing.registration_changed],
    # The retention purge: the memo's reviewers are forgotten with the registrations they came
    # from, and the names accepted in the memo's check with their reasons.
    "registration.personal_data_purged": [reviews.forget_reviewers, memo_acceptance.forget_accepted],
    "invitation.declined": [team.invitation_declined],
    # The retention purge also removes sensitive and free-text answers, the letters' details
    # and the briefing pack (it bears the participant's name).
    "registration.purged": [questions.purge_answers, visas.purge_letters, briefing.purge_pack],
    "notes.state_changed": [team.notes_changed],
    # A published memo numbers its recommendations, keeping the numbers of earlier versions.
    "memo.state_changed": [team.memo_changed, followup.memo_published],
}


def init_app(app: Flask) -> None:
    events.install(app, REACTIONS)
