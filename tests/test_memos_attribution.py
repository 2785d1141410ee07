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


# The sharper check: what is flagged, the words flagged and why ------------------------------

from workshop.memos import affiliation  # noqa: E402
from workshop.memos.attribution import COUNTRY, REASON_FAMILY, organization_short_names  # noqa: E402

OWUSU = [Candidate("Kwame Owusu", PERSON, "registered participant"), Candidate("GH", COUNTRY, "registered participant")]


def test_a_hit_names_the_words_flagged_not_the_full_name():
    [hit] = find_attributions("As Owusu put it, prevention starts at home.", OWUSU)
    assert (hit.matched, hit.name, hit.reason) == ("Owusu", "Kwame Owusu", REASON_FAMILY)


def test_a_represented_country_is_flagged_with_its_forms_and_the_reason_names_it():
    for sentence, words in (("Ghana's representative stressed the point.", "Ghana's representative"),
                            ("The Ghanaian delegation argued for it.", "Ghanaian delegation"),
                            ("Ghana cautioned against haste.", "Ghana"),
                            ("The delegation of Ghana noted the cost.", "delegation of Ghana")):
        [hit] = find_attributions(sentence, OWUSU)
        assert hit.matched == words and hit.kind == COUNTRY and hit.name == "Ghana"
        assert hit.params == {"country": "Ghana"} and "%(country)s" in hit.reason


def test_a_country_as_a_topic_or_not_represented_is_not_flagged():
    assert find_attributions("The situation in Ghana was discussed; Syria stressed nothing.", OWUSU)[:1] == []
    assert find_attributions("Participants discussed the crisis in Ghana at length.", OWUSU) == []


def test_titles_and_quotations_are_flagged_without_a_candidate():
    hits = find_attributions("The Special Adviser recalled 2005. “We must act now,” one ambassador said.", [])
    assert [(h.matched, h.reason) for h in hits] == [("Special Adviser", affiliation.REASON_ROLE),
                                                    ("one ambassador", affiliation.REASON_QUOTE)]
    assert find_attributions("Participants welcomed the Secretary-General's report.", []) == []


def test_a_shared_title_is_flagged_only_when_its_holder_speaks():
    assert find_attributions("Participants described the Focal Point as a bridge.", []) == []
    assert [h.matched for h in find_attributions("The Focal Point stressed the bridge.", [])] == ["Focal Point"]


def test_organizations_are_found_by_acronym_and_short_name():
    assert organization_short_names("Office on Genocide Prevention and the Responsibility to Protect (OSAPG)")[0] == "OSAPG"
    assert "KAIPTC" in organization_short_names("Kofi Annan International Peacekeeping Training Centre")
    assert "Global Centre" in organization_short_names("Global Centre for the Responsibility to Protect")
    assert "R2P" not in organization_short_names("UN Office on Genocide Prevention and the R2P")
    org = Candidate("Kofi Annan International Peacekeeping Training Centre", "organization", "speaker")
    [hit] = find_attributions("KAIPTC trainers described the course; kaiptc in lower case is not it.", [org])
    assert hit.matched == "KAIPTC" and hit.params == {"organization": org.name}


def test_a_position_is_flagged_after_the_not_as_a_category():
    position = Candidate("R2P Focal Point", "position", "registered participant")
    assert find_attributions("The mandate of a national R2P Focal Point varies.", [position]) == []
    assert [h.matched for h in find_attributions("Then the R2P Focal Point left.", [position])] == ["R2P Focal Point"]


def test_the_demonym_table_covers_the_member_states():
    from workshop.memos.demonyms import DEMONYMS

    assert len(DEMONYMS) >= 193 and DEMONYMS["GH"][0] == ("Ghanaian",)
    assert affiliation.display_name("GH") == "Ghana"


def test_a_long_memo_with_many_hits_gets_every_hit_at_its_line():
    text = "The chair said that Ghana stressed it. “We must act now,” one ambassador said.\n" * 2000
    hits = find_attributions(text, OWUSU)
    assert len(hits) == 6000
    assert [(h.line, h.column, h.matched) for h in hits[-3:]] == [
        (2000, 5, "chair"), (2000, 21, "Ghana"), (2000, 59, "one ambassador")]
