"""The memo: compiled from approved notes, reviewed, approved past the non-attribution check,
published as frozen numbered versions, shown publicly and served as a stored PDF."""

from datetime import date

import pytest

from tests.support.memo import add_item, add_member, approved_note
from workshop.agenda.models import PersonRole
from workshop.platform.db import db
from workshop.memos import service
from workshop.memos.compile import SessionNotes, compile_memo, split_recommendations
from workshop.memos.models import DEFAULT_DISCLAIMER, Memo, MemoState, MemoVersion
from workshop.platform import revisions
from workshop.notes import service as notes
from workshop.workshops.models import Role


@pytest.fixture
def setting(make_user, make_workshop):
    organizer = make_user(name="Olga Organizer")
    rapporteur = make_user(name="Rita Rapporteur")
    workshop = make_workshop(organizer, theme="Mass Violence and Atrocities",
                             title="Preparatory Workshop for the Second Meeting", conference="43rd UN Issues Conference",
                             description="Why we met.")
    add_member(workshop, rapporteur, Role.RAPPORTEUR)
    return workshop, organizer, rapporteur


def _memo_with_text(workshop, author, text="## Context\n\nWe met.\n"):
    memo = service.memo_for(workshop)
    service.save(memo, text, author, memo.current.number if memo.current else None)
    return memo


def test_compile_puts_approved_notes_in_agenda_order_and_lifts_recommendations(setting):
    workshop, organizer, rapporteur = setting
    second = add_item(workshop, "Session 2", hours=4)
    first = add_item(workshop, "Session 1", hours=1)
    unapproved = add_item(workshop, "Session 3", hours=6)
    approved_note(second, "## Points\n\n- second point\n\n## Recommendations\n\n- act on two", organizer)
    approved_note(first, "- first point", organizer)
    notes.save(notes.note_for(unapproved), "- not approved yet", rapporteur, None)
    memo = service.memo_for(workshop)
    revision = service.compile_from_notes(memo, rapporteur)
    text = revision.source
    assert text.index("## Context") < text.index("Why we met.") < text.index("## Key takeaways")
    assert text.index("### Session 1") < text.index("### Session 2") < text.index("## Recommendations")
    assert "#### Points" in text and "not approved yet" not in text
    assert text.index("- act on two") > text.index("## Recommendations")
    assert text.count("act on two") == 1
    assert memo.credit == "Rapporteur: Rita Rapporteur."


def test_split_recommendations_ignores_headings_inside_code_fences():
    body, lifted = split_recommendations("# Top\n\n```\n# Recommendations\n```\n\n## Recommendation\n\n- do it")
    assert "#### Top" in body and "# Recommendations" in body and lifted == "- do it"
    assert "_No approved session notes yet._" in compile_memo("", [])
    assert "### A title" in compile_memo("ctx", [SessionNotes("A  title", "text")])


def test_memo_title_follows_the_seed():
    class W:
        theme, title = "Mass Violence and Atrocities", "x"
    assert service.memo_title(W) == "Mass Violence and Atrocities | Discussion Takeaways"


def test_new_memo_has_the_default_disclaimer(setting):
    workshop, _, _ = setting
    memo = service.memo_for(workshop)
    db.session.commit()
    assert memo.disclaimer == DEFAULT_DISCLAIMER
    assert "Chatham House Rule" in memo.disclaimer and "not been reviewed or endorsed" in memo.disclaimer


def test_memo_edits_reuse_the_revision_conflict_rules(setting):
    workshop, organizer, rapporteur = setting
    memo = _memo_with_text(workshop, rapporteur, "one")
    service.save(memo, "two", organizer, 1)
    with pytest.raises(revisions.StaleRevision):
        service.save(memo, "three", rapporteur, 1)
    restored = service.restore(memo, 1, rapporteur)
    assert restored.number == 3 and restored.source == "one"


def test_workflow_draft_review_approved_published(setting):
    workshop, organizer, rapporteur = setting
    memo = service.memo_for(workshop)
    with pytest.raises(service.MemoError):
        service.submit_for_review(memo)  # nothing written
    _memo_with_text(workshop, rapporteur)
    with pytest.raises(service.MemoError):
        service.approve(memo)  # not in review
    with pytest.raises(service.MemoError):
        service.publish(memo, organizer)  # not approved
    service.submit_for_review(memo)
    assert memo.state == MemoState.IN_REVIEW
    service.approve(memo)
    assert memo.state == MemoState.APPROVED and memo.is_locked
    with pytest.raises(service.MemoError):
        service.save(memo, "edit while approved", rapporteur, memo.current.number)
    service.reopen(memo)
    assert memo.state == MemoState.DRAFT
    service.submit_for_review(memo)
    service.approve(memo)
    version = service.publish(memo, organizer, today=date(2030, 7, 15))
    assert memo.state == MemoState.PUBLISHED
    assert version.number == 1 and version.dated == date(2030, 7, 15)
    assert version.pdf.startswith(b"%PDF") and len(version.pdf_sha256) == 64


def test_approval_needs_the_attribution_check_clean_or_each_name_accepted(setting):
    workshop, organizer, rapporteur = setting
    add_item(workshop, "Session 1", people=[("Kofi Mensah", "Ministry of Foreign Affairs of Ghana", PersonRole.SPEAKER)])
    memo = _memo_with_text(workshop, rapporteur, "Kofi Mensah said that the Ministry of Foreign Affairs of Ghana would lead.")
    service.submit_for_review(memo)
    with pytest.raises(service.AttributionUnresolved) as caught:
        service.approve(memo)
    assert caught.value.names == ["Kofi Mensah", "Ministry of Foreign Affairs of Ghana"]
    with pytest.raises(service.AttributionUnresolved) as caught:
        service.approve(memo, ["Ministry of Foreign Affairs of Ghana"])
    assert caught.value.names == ["Kofi Mensah"]
    assert memo.state == MemoState.IN_REVIEW
    # Removing the attribution clears that hit; the accepted organization stays accepted.
    service.reopen(memo)
    service.save(memo, "One participant said that the Ministry of Foreign Affairs of Ghana would lead.",
                 rapporteur, memo.current.number)
    service.submit_for_review(memo)
    service.approve(memo, ["Ministry of Foreign Affairs of Ghana"])
    assert memo.state == MemoState.APPROVED
    assert memo.accepted_names == ["Ministry of Foreign Affairs of Ghana"]


def test_publishing_freezes_a_version_that_later_edits_do_not_touch(setting):
    workshop, organizer, rapporteur = setting
    memo = _memo_with_text(workshop, rapporteur, "## Context\n\nFirst published text.")
    service.submit_for_review(memo)
    service.approve(memo)
    first = service.publish(memo, organizer)
    frozen = (first.source, first.html, first.pdf, first.pdf_sha256, first.disclaimer)

    service.save(memo, "## Context\n\nA later edit.", rapporteur, memo.current.number)
    service.update_front_matter(memo, disclaimer="Changed disclaimer.", credit="By R.", dated=None)
    assert memo.state == MemoState.DRAFT  # a new draft
    db.session.expire_all()
    again = db.session.get(MemoVersion, first.id)
    assert (again.source, again.html, again.pdf, again.pdf_sha256, again.disclaimer) == frozen
    assert service.published_version(workshop).number == 1

    memo = db.session.get(Memo, memo.id)
    service.submit_for_review(memo)
    service.approve(memo)
    second = service.publish(memo, organizer)
    assert second.number == 2 and "A later edit." in second.html and second.disclaimer == "Changed disclaimer."
    assert service.published_version(workshop).id == second.id
    assert db.session.get(MemoVersion, first.id).source == frozen[0]


# Public page and PDF ------------------------------------------------------------------------


def _published(workshop, organizer, rapporteur, text="## Context\n\nThe context paragraph.", dated=date(2012, 3, 1)):
    memo = _memo_with_text(workshop, rapporteur, text)
    memo.dated = dated
    service.submit_for_review(memo)
    service.approve(memo)
    return service.publish(memo, organizer)


def test_public_memo_is_404_until_published_then_shows_like_the_seed(client, setting):
    workshop, organizer, rapporteur = setting
    assert client.get(f"/w/{workshop.slug}/memo").status_code == 404
    assert client.get(f"/w/{workshop.slug}/memo.pdf").status_code == 404
    _memo_with_text(workshop, rapporteur)
    assert client.get(f"/w/{workshop.slug}/memo").status_code == 404  # a draft is not public
    _published(workshop, organizer, rapporteur)
    html = client.get(f"/w/{workshop.slug}/memo").get_data(as_text=True)
    assert "<h1>Mass Violence and Atrocities | Discussion Takeaways</h1>" in html
    assert "Preparatory Workshop for the Second Meeting" in html
    assert "March 2012" in html
    assert f'href="/w/{workshop.slug}/memo.pdf"' in html and "Download" in html
    assert "The context paragraph." in html
    assert "Discussion takeaways" in client.get(f"/w/{workshop.slug}/").get_data(as_text=True)


def test_memo_pdf_is_served_from_storage_with_etag_and_304(client, setting):
    workshop, organizer, rapporteur = setting
    version = _published(workshop, organizer, rapporteur)
    response = client.get(f"/w/{workshop.slug}/memo.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == version.pdf
    assert response.headers["ETag"] == f'"{version.pdf_sha256}"'
    again = client.get(f"/w/{workshop.slug}/memo.pdf", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get(f"/w/{workshop.slug}/memo.pdf", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_memo_of_an_unpublished_workshop_is_not_public(client, setting):
    from workshop.workshops import service as workshops
    from workshop.workshops.models import WorkshopStatus

    workshop, organizer, rapporteur = setting
    _published(workshop, organizer, rapporteur)
    workshops.set_status(workshop, WorkshopStatus.DRAFT)
    assert client.get(f"/w/{workshop.slug}/memo").status_code == 404
    assert client.get(f"/w/{workshop.slug}/memo.pdf").status_code == 404


# The organizer's screens --------------------------------------------------------------------


def test_rapporteur_compiles_edits_and_sends_for_review_organizer_approves_and_publishes(client, login_as, setting):
    workshop, organizer, rapporteur = setting
    approved_note(add_item(workshop, "Session 1"), "- a takeaway", organizer)
    base = f"/manage/w/{workshop.slug}/memo"
    login_as(rapporteur)
    assert client.post(base + "/compile").status_code == 302
    page = client.get(base + "/").get_data(as_text=True)
    assert "a takeaway" in page and "Clean:" in page
    edit = client.post(base + "/edit", data={"source": "## Context\n\nEdited.", "base_number": "1"})
    assert edit.status_code == 302
    stale = client.post(base + "/edit", data={"source": "## Context\n\nStale.", "base_number": "1"})
    assert stale.status_code == 409 and "Edited." in stale.get_data(as_text=True)
    assert client.post(base + "/state/submit").status_code == 302
    assert client.post(base + "/state/approve").status_code == 403
    assert client.get(base + "/preview.pdf").status_code == 403
    client.post("/logout")
    login_as(organizer)
    assert client.post(base + "/state/approve").status_code == 302
    assert client.post(base + "/state/publish").status_code == 302
    assert client.get(f"/w/{workshop.slug}/memo").status_code == 200
    history = client.get(base + "/history").get_data(as_text=True)
    assert "Revision 2" in history


def test_approval_waits_until_each_name_is_rewritten_or_accepted_with_a_reason(client, login_as, setting):
    workshop, organizer, rapporteur = setting
    add_item(workshop, "Session 1", people=[("Kofi Mensah", "", PersonRole.SPEAKER)])
    memo = _memo_with_text(workshop, rapporteur, "As Mensah said.")
    service.submit_for_review(memo)
    login_as(organizer)
    base = f"/manage/w/{workshop.slug}/memo"
    page = client.get(base + "/").get_data(as_text=True)
    assert "Still flagged: Kofi Mensah" in page and 'name="accept"' not in page
    # A tick without a reason no longer counts: the name is still flagged.
    refused = client.post(base + "/state/approve", data={"accept": "Kofi Mensah"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Not approved" in refused and "with a reason" in refused
    db.session.expire_all()
    assert db.session.get(Memo, memo.id).state == MemoState.IN_REVIEW
    assert client.post(base + "/accept", data={"name": "Kofi Mensah", "reason": "He convened the session."}).status_code == 302
    assert client.post(base + "/state/approve").status_code == 302
    db.session.expire_all()
    approved = db.session.get(Memo, memo.id)
    assert approved.state == MemoState.APPROVED and approved.accepted_reasons == {"Kofi Mensah": "He convened the session."}


def test_settings_form_edits_disclaimer_credit_and_date(client, login_as, setting):
    workshop, organizer, _ = setting
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/memo/settings"
    assert client.post(url, data={"disclaimer": "", "credit": ""}).status_code == 422
    response = client.post(url, data={"disclaimer": "Our disclaimer.", "credit": "By the rapporteur.", "dated": "2012-03-01"})
    assert response.status_code == 302
    memo = service.get_memo(workshop)
    assert (memo.disclaimer, memo.credit, memo.dated) == ("Our disclaimer.", "By the rapporteur.", date(2012, 3, 1))


def test_the_check_page_shows_the_words_flagged_and_why_in_the_readers_language(client, login_as, setting):
    from tests.support.registration import details
    from workshop.registration import service as registration

    workshop, organizer, rapporteur = setting
    registration.update_settings(workshop, mode="open", confirm_email=False)
    registration.register(workshop, details(email="kwame@example.org", name="Kwame Owusu", country="GH"))
    _memo_with_text(workshop, rapporteur, "As Owusu put it, the Ghanaian delegation argued for it.")
    db.session.commit()
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/memo/").get_data(as_text=True)
    assert "<mark>Owusu</mark>" in page and "<mark>Ghanaian delegation</mark>" in page
    assert "The family name of a participant, speaker or chair." in page
    assert "Points at the delegation or a participant of Ghana, a country represented in the room." in page
    french = client.get(f"/manage/w/{workshop.slug}/memo/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Points at the delegation" not in french and "Ghana" in french
