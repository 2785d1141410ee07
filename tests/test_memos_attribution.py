"""The non-attribution check (pure) and the candidates it is given."""

from tests.support.memo import add_item
from workshop.agenda.models import PersonRole
from workshop.memos.attribution import ORGANIZATION, PERSON, Candidate, find_attributions
from workshop.memos import service

KOFI = Candidate("Kofi Mensah", PERSON, "speaker: Session 1")
AMELIE = Candidate("Amélie Dupont", PERSON, "chair: Session 2")
MINISTRY = Candidate("Ministry of Foreign Affairs of Ghana", ORGANIZATION, "speaker: Session 1")


def test_a_clean_memo_has_no_hits():
    assert find_attributions("Participants agreed that early warning matters.", [KOFI, AMELIE, MINISTRY]) == []


def test_every_place_a_name_appears_is_listed_with_line_and_context():
    text = "## Context\n\nKofi Mensah opened.\nLater, kofi  mensah added a point."
    hits = find_attributions(text, [KOFI])
    assert [(h.line, h.column, h.matched) for h in hits] == [(3, 1, "Kofi Mensah"), (4, 8, "kofi  mensah")]
    assert hits[0].sources == ("speaker: Session 1",)
    assert "opened" in hits[0].excerpt


def test_accents_case_and_line_breaks_do_not_hide_a_name():
    hits = find_attributions("As AMELIE DUPONT and the Ministry of\nForeign Affairs of Ghana said", [AMELIE, MINISTRY])
    assert [h.name for h in hits] == ["Amélie Dupont", "Ministry of Foreign Affairs of Ghana"]


def test_family_name_alone_counts_when_capitalized():
    hits = find_attributions("As Mensah put it, the dupont ring road is long.", [KOFI, AMELIE])
    assert [h.matched for h in hits] == ["Mensah"]


def test_names_inside_other_words_are_not_hits():
    assert find_attributions("Mensahs and Kofimensah are not names here.", [KOFI]) == []


def test_each_text_is_checked_and_labelled():
    hits = find_attributions({"body": "nothing", "credit": "Prepared with Kofi Mensah"}, [KOFI])
    assert [(h.where, h.line) for h in hits] == [("credit", 1)]


def test_duplicate_candidates_are_merged_with_all_their_sources():
    again = Candidate("kofi mensah", PERSON, "registered participant")
    hits = find_attributions("Kofi Mensah", [KOFI, again])
    assert len(hits) == 1 and hits[0].sources == ("speaker: Session 1", "registered participant")


def test_blank_and_tiny_names_are_ignored():
    assert find_attributions("A UN B", [Candidate("", PERSON), Candidate("UN", ORGANIZATION)]) == []


def test_candidates_are_the_agenda_chairs_speakers_and_their_organizations(make_user, make_workshop):
    workshop = make_workshop(make_user())
    add_item(workshop, "Session 1", people=[("Kofi Mensah", "Ministry of Foreign Affairs of Ghana", PersonRole.SPEAKER),
                                           ("Amélie Dupont", "", PersonRole.CHAIR)])
    add_item(make_workshop(), "Elsewhere", people=[("Someone Else", "Other Org", PersonRole.SPEAKER)])
    candidates = service.attribution_candidates(workshop)
    assert {(c.name, c.kind) for c in candidates} == {
        ("Kofi Mensah", PERSON), ("Ministry of Foreign Affairs of Ghana", ORGANIZATION), ("Amélie Dupont", PERSON)}
    assert any(c.source == "speaker: Session 1" for c in candidates)
