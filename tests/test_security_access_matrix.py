"""Who gets what on every route: a table checked cell by cell, and checked for completeness.

Every route of the app (from ``app.url_map``) must have a row here: a new route without one fails
``test_every_route_has_a_row``. A row is one line: the method and the rule as Flask knows it, then
the expected status for each role in ``ROLES`` order:

    anonymous, registrant (token), rapporteur, organizer of another workshop, organizer, admin

``LOGIN`` means a redirect to the sign-in page. POST cells are sent with an empty form (CSRF is
off in tests), so 422 means "allowed in, form refused". Sample values for the rule's variables
come from ``tests/support/access.py`` (``World.samples``).
"""

import re

import pytest

from tests.support.access import ROLES, World, build_url, sign_in
from workshop.platform.db import db

LOGIN = "login"
SKIPPED_ENDPOINTS = {"static"}

#            anonymous registrant rapporteur other_org organizer admin
MATRIX = {
    ("GET", "/"):                                         (200, 200, 200, 200, 200, 200),
    ("GET", "/healthz"):                                  (200, 200, 200, 200, 200, 200),
    ("GET", "/favicon.ico"):                              (200, 200, 200, 200, 200, 200),
    ("GET", "/login"):                                    (200, 200, 302, 302, 302, 302),
    ("POST", "/login"):                                   (422, 422, 302, 302, 302, 302),
    ("GET", "/logout"):                                   (200, 200, 200, 200, 200, 200),
    ("POST", "/logout"):                                  (302, 302, 302, 302, 302, 302),
    ("GET", "/w/<slug>/"):                                (200, 200, 200, 200, 200, 200),
    # The second step of a two-factor sign-in: without a password given first, back to /login.
    ("GET", "/login/code"):                               (302, 302, 302, 302, 302, 302),
    ("POST", "/login/code"):                              (302, 302, 302, 302, 302, 302),
    # Password reset: open to all; a link nobody was sent is a 404 in words.
    ("GET", "/password/forgot"):                          (200, 200, 200, 200, 200, 200),
    ("POST", "/password/forgot"):                         (422, 422, 422, 422, 422, 422),
    ("GET", "/password/reset/<token>"):                   (404, 404, 404, 404, 404, 404),
    ("POST", "/password/reset/<token>"):                  (404, 404, 404, 404, 404, 404),
    ("GET", "/account/email/confirm/<token>"):            (404, 404, 404, 404, 404, 404),
    ("POST", "/account/email/confirm/<token>"):           (404, 404, 404, 404, 404, 404),
    ("GET", "/team-invitations/<token>"):                 (404, 404, 404, 404, 404, 404),
    ("POST", "/team-invitations/<token>"):                (404, 404, 404, 404, 404, 404),
    # One's own account: every signed-in person.
    ("GET", "/account"):                                  (LOGIN, LOGIN, 200, 200, 200, 200),
    ("POST", "/account/name"):                            (LOGIN, LOGIN, 422, 422, 422, 422),
    ("POST", "/account/email"):                           (LOGIN, LOGIN, 422, 422, 422, 422),
    ("POST", "/account/password"):                        (LOGIN, LOGIN, 422, 422, 422, 422),
    ("POST", "/account/sign-out-everywhere"):             (LOGIN, LOGIN, 302, 302, 302, 302),
    ("GET", "/account/two-factor"):                       (LOGIN, LOGIN, 200, 200, 200, 200),
    ("POST", "/account/two-factor"):                      (LOGIN, LOGIN, 422, 422, 422, 422),
    ("POST", "/account/two-factor/disable"):              (LOGIN, LOGIN, 422, 422, 422, 422),
    ("GET", "/organizations/<int:organization_id>/logo"): (200, 200, 200, 200, 200, 200),
    ("GET", "/manage/"):                                  (LOGIN, LOGIN, 200, 200, 200, 200),
    # Creating workshops is a right a site admin grants (both organizers hold it; the
    # rapporteur does not): without it, no workshop, so no way into the contact directory.
    ("GET", "/manage/workshops/new"):                     (LOGIN, LOGIN, 403, 200, 200, 200),
    ("POST", "/manage/workshops/new"):                    (LOGIN, LOGIN, 403, 422, 422, 422),
    # Site admins grant rights to accounts.
    ("GET", "/manage/accounts/"):                         (LOGIN, LOGIN, 403, 403, 403, 200),
    ("POST", "/manage/accounts/<int:user_id>"):           (LOGIN, LOGIN, 403, 403, 403, 302),
    ("POST", "/manage/accounts/<int:user_id>/<any(disable, enable):action>"): (LOGIN, LOGIN, 403, 403, 403, 302),
    # Rapporteurs see the overview with links to their notes and the memo.
    ("GET", "/manage/w/<slug>/"):                         (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/edit"):                     (LOGIN, LOGIN, 403, 403, 200, 200),
    # An empty POST to an edit form keeps the stored values: saved unchanged, redirected.
    ("POST", "/manage/w/<slug>/edit"):                    (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/status/<action>"):         (LOGIN, LOGIN, 403, 403, 302, 302),
    ("GET", "/manage/w/<slug>/team"):                     (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/team"):                    (LOGIN, LOGIN, 403, 403, 422, 422),
    ("POST", "/manage/w/<slug>/team/<int:member_id>/remove"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/team/invitations/<int:team_invitation_id>/<any(resend, revoke):action>"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("GET", "/manage/w/<slug>/audit"):                    (LOGIN, LOGIN, 403, 403, 200, 200),
    # Organizations are shared by all workshops: any account may add or edit one.
    # Organizations are shared: organizers of any workshop list and add them; one appearing on
    # other organizers' workshops is changed by its own organizers only if no one else uses it.
    ("GET", "/manage/organizations/"):                    (LOGIN, LOGIN, 403, 200, 200, 200),
    ("GET", "/manage/organizations/new"):                 (LOGIN, LOGIN, 403, 200, 200, 200),
    ("POST", "/manage/organizations/new"):                (LOGIN, LOGIN, 403, 422, 422, 422),
    ("GET", "/manage/organizations/<int:organization_id>/merge"):  (LOGIN, LOGIN, 403, 403, 403, 200),
    ("POST", "/manage/organizations/<int:organization_id>/merge"): (LOGIN, LOGIN, 403, 403, 403, 422),
    ("GET", "/manage/organizations/<int:organization_id>/edit"):  (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/organizations/<int:organization_id>/edit"): (LOGIN, LOGIN, 403, 403, 302, 302),
    # Agenda, calendar, notes and memo (merged from main).
    ("GET", "/manage/w/<slug>/agenda"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/agenda/<int:item_id>/edit"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/agenda/<int:item_id>/move"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/agenda/new"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/agenda/<int:item_id>/<any(cancel, reinstate):action>"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/memo/"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/memo/compare"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/memo/edit"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/memo/history"): (LOGIN, LOGIN, 200, 403, 200, 200),
    # The draft preview and the agenda PDF come from the worker, which has not rendered the
    # sample's yet: those who may see them are told in words that they are being prepared (202).
    ("GET", "/manage/w/<slug>/memo/preview.pdf"): (LOGIN, LOGIN, 403, 403, 202, 202),
    ("GET", "/manage/w/<slug>/memo/revisions/<int:number>"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/memo/settings"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/notes/"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/notes/<int:item_id>"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/notes/<int:item_id>/compare"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/notes/<int:item_id>/history"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/notes/<int:item_id>/revisions/<int:number>"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/w/<slug>/agenda"): (200, 200, 200, 200, 200, 200),
    ("GET", "/w/<slug>/agenda.json"): (200, 200, 200, 200, 200, 200),
    ("GET", "/w/<slug>/agenda.pdf"): (202, 202, 202, 202, 202, 202),
    ("GET", "/w/<slug>/calendar.ics"): (200, 200, 200, 200, 200, 200),
    # Nothing is published in the sample world: the public memo is a 404 for everyone.
    ("GET", "/w/<slug>/memo"): (404, 404, 404, 404, 404, 404),
    ("GET", "/w/<slug>/memo.pdf"): (404, 404, 404, 404, 404, 404),
    ("GET", "/w/<slug>/sessions/<int:item_id>.ics"): (200, 200, 200, 200, 200, 200),
    ("POST", "/manage/w/<slug>/agenda/<int:item_id>/<any(cancel, reinstate):action>"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/agenda/<int:item_id>/edit"): (LOGIN, LOGIN, 403, 403, 422, 422),
    ("POST", "/manage/w/<slug>/agenda/<int:item_id>/move"): (LOGIN, LOGIN, 403, 403, 422, 422),
    ("POST", "/manage/w/<slug>/agenda/new"): (LOGIN, LOGIN, 403, 403, 422, 422),
    ("POST", "/manage/w/<slug>/memo/compile"): (LOGIN, LOGIN, 302, 403, 302, 302),
    ("GET", "/manage/w/<slug>/memo/compile"): (LOGIN, LOGIN, 200, 403, 200, 200),
    # Nothing approved since a compile in the sample world: refused in words, redirected.
    ("POST", "/manage/w/<slug>/memo/compile/new-notes"): (LOGIN, LOGIN, 302, 403, 302, 302),
    # An empty POST to a text editor has no base revision: 409, the conflict page.
    ("POST", "/manage/w/<slug>/memo/edit"): (LOGIN, LOGIN, 409, 403, 409, 409),
    ("POST", "/manage/w/<slug>/memo/restore/<int:number>"): (LOGIN, LOGIN, 302, 403, 302, 302),
    ("POST", "/manage/w/<slug>/memo/settings"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/memo/state/<action>"): (LOGIN, LOGIN, 403, 403, 302, 302),
    # Accepting words the check flagged, with a reason (or flagging them again): organizers; an
    # empty form is refused in words and sends them back.
    ("POST", "/manage/w/<slug>/memo/accept"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/memo/accept/withdraw"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/notes/<int:item_id>"): (LOGIN, LOGIN, 409, 403, 409, 409),
    ("POST", "/manage/w/<slug>/notes/<int:item_id>/restore/<int:number>"): (LOGIN, LOGIN, 302, 403, 302, 302),
    ("POST", "/manage/w/<slug>/notes/<int:item_id>/state/<action>"): (LOGIN, LOGIN, 403, 403, 302, 302),
    # Organizers approve every submitted note they saw listed in one go.
    ("POST", "/manage/w/<slug>/notes/approve-submitted"): (LOGIN, LOGIN, 403, 403, 302, 302),
    # Registration: public pages, token links (the registrant holds a registration link and an
    # invitation link; everyone else tries a token that is not theirs: the invalid-link page, 404).
    ("GET", "/w/<slug>/register"):                        (200, 200, 200, 200, 200, 200),
    ("POST", "/w/<slug>/register"):                       (422, 422, 422, 422, 422, 422),
    # The sample workshop is held under the Chatham House Rule: its participant list is never
    # public, only through a confirmed registrant's link (ATTRIBUTION_RULE_ROWS: the other rules).
    ("GET", "/w/<slug>/participants"):                    (404, 404, 404, 404, 404, 404),
    ("GET", "/links/resend"):                             (200, 200, 200, 200, 200, 200),
    ("POST", "/links/resend"):                            (422, 422, 422, 422, 422, 422),
    ("GET", "/invitations/<token>"):                      (404, 200, 404, 404, 404, 404),
    ("GET", "/invitations/<token>/accept"):               (404, 200, 404, 404, 404, 404),
    ("POST", "/invitations/<token>/accept"):              (404, 422, 404, 404, 404, 404),
    # The decline message is optional: an empty form declines.
    ("POST", "/invitations/<token>/decline"):             (404, 200, 404, 404, 404, 404),
    ("POST", "/invitations/<token>/seen"):                (404, 204, 404, 404, 404, 404),
    # Only for an answered invitation; the sample one is unanswered.
    ("POST", "/invitations/<token>/registration-link"):   (404, 404, 404, 404, 404, 404),
    ("GET", "/registrations/<token>"):                    (404, 200, 404, 404, 404, 404),
    ("GET", "/registrations/<token>/calendar.ics"):       (404, 200, 404, 404, 404, 404),
    # Confirm the address, or register again after withdrawing: the registrant's is confirmed
    # already, so it is told so on its page.
    ("POST", "/registrations/<token>/confirm"):           (404, 302, 404, 404, 404, 404),
    ("GET", "/registrations/<token>/edit"):               (404, 200, 404, 404, 404, 404),
    ("POST", "/registrations/<token>/edit"):              (404, 422, 404, 404, 404, 404),
    ("GET", "/registrations/<token>/participants"):       (404, 200, 404, 404, 404, 404),
    ("GET", "/registrations/<token>/withdraw"):           (404, 200, 404, 404, 404, 404),
    ("POST", "/registrations/<token>/withdraw"):          (404, 302, 404, 404, 404, 404),
    # One-click unsubscribe from bulk mail: the signed link token is the only key; the GET
    # shows a button, the POST (no CSRF token: mail clients send none) records the choice.
    ("GET", "/unsubscribe/<token>"):                      (404, 200, 404, 404, 404, 404),
    ("POST", "/unsubscribe/<token>"):                     (404, 200, 404, 404, 404, 404),
    # Registration: organizer screens.
    ("GET", "/manage/w/<slug>/registration-settings"):    (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/registration-settings"):   (LOGIN, LOGIN, 403, 403, 422, 422),
    ("GET", "/manage/w/<slug>/registrations"):            (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/registrations.<fmt>"):      (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/registrations/<int:registration_id>"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/registrations/<int:registration_id>/<action>"): (LOGIN, LOGIN, 403, 403, 302, 302),
    # The organizer sets how letters address a registrant; an empty form is "no honorific".
    ("POST", "/manage/w/<slug>/registrations/<int:registration_id>/honorific"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("GET", "/manage/w/<slug>/messages"):                 (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/messages/new"):             (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/messages/new"):            (LOGIN, LOGIN, 403, 403, 422, 422),
    ("GET", "/manage/w/<slug>/messages/<int:message_id>"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/messages/<int:message_id>/progress.json"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/reminders"):                (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/reminders"):               (LOGIN, LOGIN, 403, 403, 422, 422),
    ("POST", "/manage/w/<slug>/reminders/<int:rule_id>/remove"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("GET", "/manage/w/<slug>/letters"):                  (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/letters/<kind>/<language>"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/letters/<kind>/<language>"): (LOGIN, LOGIN, 403, 403, 422, 422),
    ("POST", "/manage/w/<slug>/letters/<kind>/<language>/reset"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("GET", "/manage/w/<slug>/letters/<kind>/<language>/versions/<int:number>"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/notifications"):            (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/notifications"):           (LOGIN, LOGIN, 403, 403, 422, 422),
    ("GET", "/manage/w/<slug>/invitations"):              (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/invitations/one"):         (LOGIN, LOGIN, 403, 403, 422, 422),
    ("POST", "/manage/w/<slug>/invitations/category"):    (LOGIN, LOGIN, 403, 403, 422, 422),
    ("GET", "/manage/w/<slug>/invitations/directory"):    (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/invitations/directory"):   (LOGIN, LOGIN, 403, 403, 422, 422),
    ("POST", "/manage/w/<slug>/invitations/remind"):      (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/invitations/<int:invitation_id>/withdraw"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("GET", "/manage/w/<slug>/invitations/import"):       (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/invitations/import"):      (LOGIN, LOGIN, 403, 403, 422, 422),
    ("GET", "/manage/w/<slug>/categories"):               (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/categories"):              (LOGIN, LOGIN, 403, 403, 422, 422),
    ("GET", "/manage/w/<slug>/categories/<int:category_id>/edit"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/categories/<int:category_id>/edit"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/categories/<int:category_id>/delete"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/registrations/<int:registration_id>/links/revoke"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/invitations/<int:invitation_id>/links/revoke"): (LOGIN, LOGIN, 403, 403, 302, 302),
    # The contact directory: organizers see the contacts their workshops use (the sample contact
    # is invited to this workshop, so another workshop's organizer does not find it: 404);
    # site admins see and change every one.
    ("GET", "/manage/contacts/"):                         (LOGIN, LOGIN, 403, 200, 200, 200),
    ("GET", "/manage/contacts/new"):                      (LOGIN, LOGIN, 403, 200, 200, 200),
    ("POST", "/manage/contacts/new"):                     (LOGIN, LOGIN, 403, 422, 422, 422),
    ("GET", "/manage/contacts/<int:contact_id>/edit"):    (LOGIN, LOGIN, 403, 404, 200, 200),
    ("POST", "/manage/contacts/<int:contact_id>/edit"):   (LOGIN, LOGIN, 403, 404, 302, 302),
    ("GET", "/manage/contacts/import"):                   (LOGIN, LOGIN, 403, 200, 200, 200),
    ("POST", "/manage/contacts/import"):                  (LOGIN, LOGIN, 403, 422, 422, 422),
    # Starting a version of the memo in another language: organizers (an empty form: refused, back).
    ("POST", "/manage/w/<slug>/memo/translations"):       (LOGIN, LOGIN, 403, 403, 302, 302),
    # The memo in French (the sample world has one, unpublished).
    ("GET", "/w/<slug>/memo/<lang:language>"):            (404, 404, 404, 404, 404, 404),
    ("GET", "/w/<slug>/memo/<lang:language>.pdf"):        (404, 404, 404, 404, 404, 404),
    # Documents (the sample is one for confirmed participants; every visibility for every
    # audience is in tests/test_documents_visibility.py): the public see public ones only, the
    # registrant theirs through their link, the whole team any; organizers upload, replace,
    # change and remove.
    # Questions, the follow-up form and letters of invitation: organizers build and issue; the
    # registrant answers and asks for their letter through their own link, and nobody else can.
    ("GET", "/manage/w/<slug>/questions"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/questions"): (LOGIN, LOGIN, 403, 403, 422, 422),
    ("GET", "/manage/w/<slug>/questions/<int:question_id>"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/questions/<int:question_id>"): (LOGIN, LOGIN, 403, 403, 422, 422),
    ("POST", "/manage/w/<slug>/questions/<int:question_id>/<direction>"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/questions/<int:question_id>/delete"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/questions/follow-up/<what>"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/questions/order/<stage>"): (LOGIN, LOGIN, 403, 403, 204, 204),
    ("GET", "/registrations/<token>/follow-up"): (404, 200, 404, 404, 404, 404),
    ("POST", "/registrations/<token>/follow-up"): (404, 422, 404, 404, 404, 404),
    ("GET", "/manage/w/<slug>/visa-letters"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/visa-letters"): (LOGIN, LOGIN, 403, 403, 422, 422),
    ("POST", "/manage/w/<slug>/visa-letters/issue"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("GET", "/manage/w/<slug>/visa-letters/<int:letter_id>.pdf"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/visa-letters/<int:letter_id>/regenerate"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/registrations/<token>/language"): (404, 302, 404, 404, 404, 404),
    ("POST", "/registrations/<token>/visa-letters"): (404, 302, 404, 404, 404, 404),
    ("GET", "/registrations/<token>/visa-letters/<int:letter_id>.pdf"): (404, 200, 404, 404, 404, 404),
    ("GET", "/w/<slug>/documents"): (200, 200, 200, 200, 200, 200),
    ("GET", "/w/<slug>/documents/<int:document_id>/<path:filename>"): (404, 404, 404, 404, 404, 404),
    ("GET", "/registrations/<token>/documents/<int:document_id>/<path:filename>"): (404, 200, 404, 404, 404, 404),
    # The briefing pack through the confirmed registrant's own link; the worker has not built
    # the sample's yet, so it is told in words that it is being prepared (202).
    ("GET", "/registrations/<token>/briefing-pack.pdf"): (404, 202, 404, 404, 404, 404),
    ("GET", "/manage/w/<slug>/documents"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("GET", "/manage/w/<slug>/documents/new"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/documents/new"): (LOGIN, LOGIN, 403, 403, 422, 422),
    ("GET", "/manage/w/<slug>/documents/<int:document_id>/replace"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/documents/<int:document_id>/replace"): (LOGIN, LOGIN, 403, 403, 422, 422),
    # An empty POST keeps the stored values: saved unchanged, redirected.
    ("GET", "/manage/w/<slug>/documents/<int:document_id>/edit"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/documents/<int:document_id>/edit"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("POST", "/manage/w/<slug>/documents/<int:document_id>/remove"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("GET", "/manage/w/<slug>/documents/<int:document_id>/file"): (LOGIN, LOGIN, 200, 403, 200, 200),
    # The participants' review: the team reads it (organizers open and withdraw it, rapporteurs
    # resolve comments: an empty form is sent back with a message); the reviewer's own link
    # opens their page (the registrant is the sample reviewer; they have not objected: 409).
    ("GET", "/manage/w/<slug>/review"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("POST", "/manage/w/<slug>/review"): (LOGIN, LOGIN, 403, 403, 422, 422),
    ("GET", "/manage/w/<slug>/review/<int:review_id>"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("POST", "/manage/w/<slug>/review/<int:review_id>/comments/<int:comment_id>"): (LOGIN, LOGIN, 303, 403, 303, 303),
    ("POST", "/manage/w/<slug>/review/<int:review_id>/withdraw"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("GET", "/review/<token>"): (404, 200, 404, 404, 404, 404),
    ("POST", "/review/<token>/paragraphs/<int:paragraph>"): (404, 422, 404, 404, 404, 404),
    ("POST", "/review/<token>/objection"): (404, 422, 404, 404, 404, 404),
    ("POST", "/review/<token>/objection/withdraw"): (404, 409, 404, 404, 404, 404),
    # Recommendations: public list; the team reads the follow-up, organizers record updates.
    ("GET", "/w/<slug>/recommendations"): (200, 200, 200, 200, 200, 200),
    ("GET", "/manage/w/<slug>/recommendations"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/recommendations/<int:number>"): (LOGIN, LOGIN, 403, 403, 200, 200),
    ("POST", "/manage/w/<slug>/recommendations/<int:number>"): (LOGIN, LOGIN, 403, 403, 422, 422),
    ("GET", "/series/<slug>/"): (200, 200, 200, 200, 200, 200),
    # The three outputs: the public memo is above (/w/<slug>/memo); the internal record is the
    # team's only; the participants' read-out is the team's and, through their link, a
    # confirmed participant's. Organizers freeze a new version.
    ("GET", "/manage/w/<slug>/outputs"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("POST", "/manage/w/<slug>/outputs/<any(internal, readout):kind>"): (LOGIN, LOGIN, 403, 403, 302, 302),
    ("GET", "/manage/w/<slug>/outputs/<any(internal, readout):kind>/<int:number>"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/manage/w/<slug>/outputs/<any(internal, readout):kind>/<int:number>.pdf"): (LOGIN, LOGIN, 200, 403, 200, 200),
    ("GET", "/registrations/<token>/readout/<int:number>"): (404, 200, 404, 404, 404, 404),
    ("GET", "/registrations/<token>/readout/<int:number>.pdf"): (404, 200, 404, 404, 404, 404),
}
# The memo's version in another language has the same pages as the memo, with the same rights.
MATRIX.update({(method, rule.replace("/memo/", "/memo/<lang:language>/", 1)): row
               for (method, rule), row in list(MATRIX.items())
               if rule.startswith("/manage/w/<slug>/memo/") and not rule.endswith("/translations")})


# Values that differ from World.samples for one route (one line each).
URL_OVERRIDES = {
    ("POST", "/manage/w/<slug>/outputs/<any(internal, readout):kind>"): {"kind": "internal"},
    ("GET", "/manage/w/<slug>/outputs/<any(internal, readout):kind>/<int:number>"): {"kind": "internal"},
    ("GET", "/manage/w/<slug>/outputs/<any(internal, readout):kind>/<int:number>.pdf"): {"kind": "internal"},
    ("POST", "/manage/accounts/<int:user_id>/<any(disable, enable):action>"): {"action": "disable"},
    ("POST", "/manage/w/<slug>/team/invitations/<int:team_invitation_id>/<any(resend, revoke):action>"): {"action": "resend"},
    ("POST", "/manage/w/<slug>/agenda/<int:item_id>/<any(cancel, reinstate):action>"): {"action": "cancel"},
    ("GET", "/manage/w/<slug>/agenda/<int:item_id>/<any(cancel, reinstate):action>"): {"action": "cancel"},
    ("POST", "/manage/w/<slug>/notes/<int:item_id>/state/<action>"): {"action": "approve"},  # organizers only
    ("POST", "/manage/w/<slug>/memo/state/<action>"): {"action": "publish"},  # organizers only
    ("POST", "/manage/w/<slug>/memo/<lang:language>/state/<action>"): {"action": "publish"},
    ("POST", "/manage/w/<slug>/registrations/<int:registration_id>/<action>"): {"action": "reject"},
    ("GET", "/series/<slug>/"): {"slug": "matrix-series"},
}

# Invitation links take the invitation token (the registrant holds one; the others a false one),
# unsubscribe links their own signed token.
INVITATION_PREFIX = "/invitations/"
UNSUBSCRIBE_PREFIX = "/unsubscribe/"


def discovered_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((method, rule.rule))
    return routes


def test_every_route_has_a_row(app):
    missing = sorted(discovered_routes(app) - set(MATRIX))
    assert missing == [], f"routes without a row in the access matrix: {missing}"


def test_every_row_is_a_route(app):
    stale = sorted(set(MATRIX) - discovered_routes(app))
    assert stale == [], f"rows for routes that no longer exist: {stale}"


CELLS = [
    pytest.param(method, rule, role, expected, id=f"{method} {rule} as {role}")
    for (method, rule), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@pytest.mark.parametrize("method, rule, role, expected", CELLS)
def test_access(app, client, method, rule, role, expected):
    world = World()
    sign_in(client, world.user_for(role))
    samples = world.samples(role)
    if rule.startswith(INVITATION_PREFIX):
        samples["token"] = samples["invitation_token"]
    if rule.startswith(UNSUBSCRIBE_PREFIX):
        samples["token"] = samples["unsubscribe_token"]
    url = build_url(rule, {**samples, **URL_OVERRIDES.get((method, rule), {})})
    response = client.open(url, method=method, data={} if method == "POST" else None)
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response.headers["Location"].startswith("/login"), response.headers["Location"]
    else:
        assert response.status_code == expected


# The participant list under each attribution rule (the list is published and the registrant
# confirmed): public only on the record; the confirmed registrant sees it through their link.
ATTRIBUTION_RULE_ROWS = {
    ("on_record", "/w/<slug>/participants"):                 (200, 200, 200, 200, 200, 200),
    ("chatham_house", "/w/<slug>/participants"):             (404, 404, 404, 404, 404, 404),
    ("closed", "/w/<slug>/participants"):                    (404, 404, 404, 404, 404, 404),
    ("on_record", "/registrations/<token>/participants"):     (404, 200, 404, 404, 404, 404),
    ("chatham_house", "/registrations/<token>/participants"): (404, 200, 404, 404, 404, 404),
    ("closed", "/registrations/<token>/participants"):        (404, 200, 404, 404, 404, 404),
}
RULE_CELLS = [
    pytest.param(rule_name, rule, role, expected, id=f"{rule_name} {rule} as {role}")
    for (rule_name, rule), row in ATTRIBUTION_RULE_ROWS.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@pytest.mark.parametrize("attribution_rule, rule, role, expected", RULE_CELLS)
def test_the_participant_list_under_each_attribution_rule(app, client, attribution_rule, rule, role, expected):
    world = World()
    world.workshop.attribution_rule = attribution_rule
    db.session.commit()
    sign_in(client, world.user_for(role))
    response = client.get(build_url(rule, world.samples(role)))
    assert response.status_code == expected
    # The sample registrant consented to be seen by participants only: not on the public list.
    seen = "Registered Delegate" in response.get_data(as_text=True)
    assert seen == (expected == 200 and rule.startswith("/registrations/"))


# Ids past the range of the databases' integer columns: the route does not match (404) rather than
# the lookup failing (OverflowError on SQLite, "integer out of range" on PostgreSQL: a 500).
OUT_OF_RANGE_IDS = (2**31, 2**63)
INT_VARIABLE = r"<int:([^<>]+)>"


def _int_route_cells():
    for (method, rule) in MATRIX:
        for name in re.findall(INT_VARIABLE, rule):
            for value in OUT_OF_RANGE_IDS:
                for role in ("anonymous", "organizer"):
                    yield pytest.param(method, rule, name, value, role, id=f"{method} {rule} {name}={value} as {role}")


@pytest.mark.parametrize("method, rule, name, value, role", list(_int_route_cells()))
def test_an_id_beyond_the_database_integer_range_is_not_found(app, client, method, rule, name, value, role):
    world = World()
    sign_in(client, world.user_for(role))
    samples = {**world.samples(role), **URL_OVERRIDES.get((method, rule), {}), name: value}
    response = client.open(build_url(rule, samples), method=method, data={} if method == "POST" else None)
    assert response.status_code == 404


def test_an_audit_page_cursor_beyond_the_integer_range_is_ignored(client):
    world = World()
    sign_in(client, world.organizer)
    response = client.get(f"/manage/w/{world.workshop.slug}/audit?before={2**63}")
    assert response.status_code == 200


# Another organizer's draft: outsiders signed in get the same 404 as for a slug that does not
# exist, so the slug gives nothing away (on a published workshop they get the 403 of the matrix).
DRAFT_OUTSIDERS = ("rapporteur", "organizer")
MANAGE_WORKSHOP_ROUTES = [(method, rule) for method, rule in MATRIX if rule.startswith("/manage/w/<slug>/")]


@pytest.mark.parametrize("method, rule", MANAGE_WORKSHOP_ROUTES, ids=[f"{m} {r}" for m, r in MANAGE_WORKSHOP_ROUTES])
def test_a_draft_of_another_team_is_not_found_by_outsiders(app, client, method, rule):
    world = World()
    assert not world.other_workshop.is_public
    for role in DRAFT_OUTSIDERS:
        sign_in(client, world.user_for(role))
        samples = {**world.samples(role), **URL_OVERRIDES.get((method, rule), {}), "slug": world.other_workshop.slug}
        response = client.open(build_url(rule, samples), method=method, data={} if method == "POST" else None)
        assert response.status_code == 404, (role, response.status_code)


def test_a_member_without_the_right_still_gets_403_on_a_draft(app, client):
    world = World()
    from workshop.workshops import service
    from workshop.workshops.models import Role, WorkshopStatus

    service.set_status(world.workshop, WorkshopStatus.DRAFT)
    db.session.commit()
    sign_in(client, world.rapporteur)
    assert client.get(f"/manage/w/{world.workshop.slug}/edit").status_code == 403
    assert client.get(f"/manage/w/{world.workshop.slug}/notes/").status_code == 200
    assert Role.RAPPORTEUR in {m.role for m in world.workshop.members}
