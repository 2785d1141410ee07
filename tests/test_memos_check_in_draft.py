"""The non-attribution check while the memo is written: its hits marked in the saved text beside
the editor, accepting flagged words with a reason in draft (not only at approval), the reasons
it lists people for in the reader's language, and the rule the editor's hint names."""

import pytest

from tests.support.hostile import HOSTILE, Findings, form_body
from tests.support.memo import add_item, add_member, approved_note
from tests.support.registration import details
from workshop.agenda.models import PersonRole
from workshop.memos import acceptance, check_words
from workshop.memos import service as memos
from workshop.memos.attribution import PERSON, Candidate, find_attributions
from workshop.memos.models import MemoState
from workshop.platform.audit.models import AuditEntry
from workshop.platform.db import db
from workshop.registration import service as registration
from workshop.workshops.models import Role

import sqlalchemy as sa

GHANA = "## Context\n\nThe Ambassador of Ghana said early warning needs a senior convener.\n\nAll agreed."


@pytest.fixture
def team(make_user, make_workshop):
    organizer, rapporteur = make_user(name="Olga Organizer"), make_user(name="Rita Rapporteur")
    workshop = make_workshop(organizer)
    add_member(workshop, rapporteur, Role.RAPPORTEUR)
    registration.update_settings(workshop, mode="open", confirm_email=False)
    registration.register(workshop, details(email="kwame@example.org", name="Kwame Owusu", country="GH"))
    db.session.commit()
    return workshop, organizer, rapporteur


def _memo(workshop, author, text=GHANA):
    memo = memos.memo_for(workshop)
    memos.save(memo, text, author, memo.current.number if memo.current else None)
    db.session.commit()
    return memo


def test_the_saved_text_is_shown_line_by_line_with_each_hit_marked_where_it_is():
    text = "First line.\nAs Owusu put it, the Ghanaian delegation agreed.\nThe Special\nAdviser said so."
    hits = find_attributions(text, [Candidate("Kwame Owusu", PERSON, "registered participant"),
                                    Candidate("GH", "country", "registered participant")])
    # A title across a line break, as a memo wrapped by hand has them.
    assert [(h.matched, h.line) for h in hits] == [("Owusu", 2), ("Ghanaian delegation", 2),
                                                   ("Special\nAdviser", 3)]
    lines = check_words.marked_lines(text, hits)
    assert lines[0] == [("First line.", None)]
    assert lines[1] == [("As ", None), ("Owusu", 1), (" put it, the ", None), ("Ghanaian delegation", 2),
                        (" agreed.", None)]
    assert lines[2] == [("The ", None), ("Special", 3)]
    assert lines[3] == [("Adviser", 3), (" said so.", None)]  # each line marks its share
    assert check_words.marked_lines("", []) == [[("", None)]]


def test_the_editor_marks_the_words_in_the_saved_text_and_names_them(client, login_as, team):
    workshop, organizer, rapporteur = team
    _memo(workshop, rapporteur)
    login_as(rapporteur)
    page = client.get(f"/manage/w/{workshop.slug}/memo/edit").get_data(as_text=True)
    assert "The saved text, with the flagged words marked" in page
    assert '<li value="3">The <mark id="hit-1"><a href="#hit-item-1">Ambassador of Ghana</a></mark> said' in page
    assert '<a href="#hit-1">line 3</a>' in page  # the hit links to its place in the marked text
    assert "(registered participant)" in page  # why listed, beside the editor too
    assert 'name="reason"' not in page  # rapporteurs rewrite; organizers may also accept


def test_an_organizer_accepts_flagged_words_in_draft_with_a_reason_and_approves_without_ticking(
        client, login_as, team):
    workshop, organizer, _ = team
    memo = _memo(workshop, organizer)
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/memo/accept"
    page = client.get(f"/manage/w/{workshop.slug}/memo/edit").get_data(as_text=True)
    assert "Why “Ambassador of Ghana” may stay" in page
    response = client.post(url, data={"name": "Ghana", "reason": "  ", "back": "edit"})
    assert response.status_code == 302 and response.location.endswith("/memo/edit#check-heading")
    page = client.get(f"/manage/w/{workshop.slug}/memo/edit").get_data(as_text=True)
    assert "accepting needs a reason" in page
    assert memos.unresolved_names(memo) == ["Ghana"]

    client.post(url, data={"name": "Ghana", "reason": "The host country, named in the Context on purpose.",
                           "back": "manage"})
    db.session.expire_all()
    assert memo.state == MemoState.DRAFT and memo.accepted_names == ["Ghana"]
    assert memo.accepted_reasons == {"Ghana": "The host country, named in the Context on purpose."}
    page = client.get(f"/manage/w/{workshop.slug}/memo/").get_data(as_text=True)
    assert "Reason: The host country, named in the Context on purpose." in page
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "memo.name_accepted"))
    assert entry.detail == {"name": "Ghana", "reason": "The host country, named in the Context on purpose."}
    audit_page = client.get(f"/manage/w/{workshop.slug}/audit").get_data(as_text=True)
    assert "words the check flagged accepted, with a reason" in audit_page

    memos.submit_for_review(memo)
    memos.approve(memo)  # nothing left to tick: accepted in draft
    assert memo.state == MemoState.APPROVED and memo.accepted_reasons == {"Ghana": memo.accepted_reasons["Ghana"]}
    with pytest.raises(memos.MemoError):
        acceptance.withdraw(memo, "Ghana", organizer)  # locked


def test_flagging_again_undoes_an_acceptance_and_words_no_longer_flagged_cannot_be_accepted(team):
    workshop, organizer, _ = team
    memo = _memo(workshop, organizer)
    acceptance.accept(memo, "Ghana", "Named on purpose.", organizer)
    acceptance.withdraw(memo, "Ghana", organizer)
    assert memo.accepted_names == [] and memo.accepted_reasons == {}
    assert memos.unresolved_names(memo) == ["Ghana"]
    with pytest.raises(memos.MemoError, match="no longer lists"):
        acceptance.accept(memo, "Somebody Else", "Why not.", organizer)
    with pytest.raises(memos.MemoError, match="under"):
        acceptance.accept(memo, "Ghana", "x" * 501, organizer)
    with pytest.raises(memos.MemoError, match="were not accepted"):
        acceptance.withdraw(memo, "Ghana", organizer)


def test_rapporteurs_cannot_accept(client, login_as, team):
    workshop, _, rapporteur = team
    memo = _memo(workshop, rapporteur)
    login_as(rapporteur)
    response = client.post(f"/manage/w/{workshop.slug}/memo/accept", data={"name": "Ghana", "reason": "Because."})
    assert response.status_code == 403
    db.session.expire_all()
    assert memo.accepted_names == []


def test_why_listed_is_in_the_readers_language(client, login_as, team):
    workshop, organizer, _ = team
    item = add_item(workshop, "Session 1", people=[("Kofi Mensah", "", PersonRole.SPEAKER)])
    approved_note(item, "Mensah and the Ambassador of Ghana presented.", organizer)
    memo = memos.memo_for(workshop)
    memos.compile_from_notes(memo, organizer)
    db.session.commit()
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/memo/").get_data(as_text=True)
    assert "speaker in Session 1" in page and "registered participant" in page
    page = client.get(f"/manage/w/{workshop.slug}/memo/?lang=fr").get_data(as_text=True)
    assert "intervenant à la séance Session 1" in page and "participant inscrit" in page
    assert "registered participant" not in page and "speaker: Session 1" not in page
    page = client.get(f"/manage/w/{workshop.slug}/memo/?lang=ru").get_data(as_text=True)
    assert "Гана" in page and "зарегистрированный участник" in page
    page = client.get(f"/manage/w/{workshop.slug}/memo/edit?lang=es").get_data(as_text=True)
    assert "participante inscrito" in page and "registered participant" not in page


def test_the_memo_editor_names_the_rule_the_check_applies(client, login_as, team):
    workshop, organizer, _ = team
    _memo(workshop, organizer)
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/memo/edit").get_data(as_text=True)
    assert "The sessions the memo draws on are held under: Chatham House Rule." in page
    assert "nor the country, title or role that points at one" in page
    workshop.attribution_rule = "on_record"
    db.session.commit()
    page = client.get(f"/manage/w/{workshop.slug}/memo/edit").get_data(as_text=True)
    assert "The sessions the memo draws on are held under: On the record." in page
    assert "Chatham House" not in page.split("<footer")[0]  # the footer speaks of the site's meetings


def test_hostile_reasons_and_names_are_refused_in_words_or_kept_as_text(client, login_as, team):
    workshop, organizer, _ = team
    memo = _memo(workshop, organizer)
    login_as(organizer)
    findings = Findings()
    for label, value in HOSTILE.items():
        for fields in ({"name": "Ghana", "reason": value, "back": "edit"}, {"name": value, "reason": "A reason."},
                       {"name": "Ghana", "reason": "A reason.", "back": value}):
            for path in ("accept", "accept/withdraw"):
                response = client.post(f"/manage/w/{workshop.slug}/memo/{path}", data=form_body(fields),
                                       content_type="application/x-www-form-urlencoded")
                findings.check(response, label, value, path, allowed=(302,))
        findings.check(client.get(f"/manage/w/{workshop.slug}/memo/"), label, value, "memo page", allowed=(200,))
        findings.check(client.get(f"/manage/w/{workshop.slug}/memo/edit"), label, value, "editor", allowed=(200,))
    db.session.expire_all()
    assert set(memo.accepted_names) <= {"Ghana"}
    assert findings == []


def test_only_the_lines_around_the_hits_are_shown_with_their_numbers():
    lines = [[("a", None)], [("b", None)], [("c", 1)], [("d", None)], [("e", None)], [("f", None)],
             [("g", 2)]]
    assert check_words.around_hits(lines) == [
        (2, [("b", None)]), (3, [("c", 1)]), (4, [("d", None)]), None, (6, [("f", None)]), (7, [("g", 2)])]
    assert check_words.around_hits(lines, context=0) == [(3, [("c", 1)]), None, (7, [("g", 2)])]
    assert check_words.around_hits([[("clean", None)]]) == []


def test_the_retention_purge_forgets_the_accepted_names_and_their_reasons_in_the_memo_and_the_log(
        app, team):
    """An accepted name is most often a participant's, and its reason says who they are: both
    are personal data, purged with the rest of the workshop's."""
    from datetime import date, datetime, timezone

    from workshop.registration import retention

    workshop, organizer, _rapporteur = team
    memo = _memo(workshop, organizer, GHANA + "\n\nKwame Owusu opened the meeting.")
    acceptance.accept(memo, "Kwame Owusu", "Our co-convener, who agreed to be named.", organizer)
    acceptance.accept(memo, "Ghana", "The host country.", organizer)
    acceptance.withdraw(memo, "Ghana", organizer)
    registration.update_settings(workshop, retention_days=30)
    workshop.start_date, workshop.end_date = date(2020, 3, 1), date(2020, 3, 2)
    db.session.commit()

    with app.test_request_context():
        assert retention.purge_expired(now=datetime(2020, 6, 1, tzinfo=timezone.utc)).registrations == 1
        db.session.commit()

    db.session.expire_all()
    assert memo.accepted_names == [] and not memo.accepted_reasons
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action.in_(("memo.name_accepted", "memo.acceptance_withdrawn")))).all()
    assert len(entries) == 3  # who accepted what when stays; the words and the reasons go
    logged = " ".join(str(entry.detail) for entry in entries)
    for text in ("Owusu", "co-convener", "Ghana", "host country"):
        assert text not in logged, text
