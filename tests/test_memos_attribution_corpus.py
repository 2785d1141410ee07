"""The sharper non-attribution check measured on a labelled corpus (tests/data/attribution_corpus.txt):
recall and precision are printed and held to at least 95 % and 80 %."""

from pathlib import Path

from workshop.memos.attribution import COUNTRY, ORGANIZATION, PERSON, POSITION, Candidate, find_attributions

CORPUS = Path(__file__).parent / "data" / "attribution_corpus.txt"

ROOM = [
    ("Kwame Owusu", "Ministry of Foreign Affairs of Ghana", "GH", "Director, Multilateral Affairs"),
    ("Mette Sørensen", "Danish Institute for Human Rights", "DK", "National Focal Point"),
    ("Hiroshi Tanaka", "Ministry of Foreign Affairs of Japan", "JP", ""),
    ("Amélie Dupont", "Global Centre for the Responsibility to Protect", "FR", ""),
    ("Wanjiru Kamau", "Office on Genocide Prevention and the Responsibility to Protect (OSAPG)", "KE", ""),
    ("Carlos Mendoza", "Instituto Matías Romero", "MX", ""),
    ("Kofi Mensah", "Kofi Annan International Peacekeeping Training Centre", "GH", ""),
]


def room_candidates() -> list[Candidate]:
    candidates = []
    for name, organization, country, position in ROOM:
        candidates += [Candidate(name, PERSON, "registered participant"),
                       Candidate(organization, ORGANIZATION, "participant's organization"),
                       Candidate(country, COUNTRY, "participant's country")]
        if position:
            candidates.append(Candidate(position, POSITION, "participant's position"))
    return candidates


def corpus() -> list[tuple[str | None, str, str]]:
    """(the words that must be flagged, or None when nothing may be, sentence, why)."""
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence, why = (part.strip() for part in line.split("|"))
        words = label.removeprefix("FLAG").strip() if label.startswith("FLAG") else None
        rows.append((words, sentence, why))
    return rows


def measure():
    candidates = room_candidates()
    true_pos, false_neg, false_pos, true_neg = [], [], [], []
    for words, sentence, why in corpus():
        hits = find_attributions(sentence, candidates)
        if words is None:
            (false_pos if hits else true_neg).append((sentence, [h.matched for h in hits]))
        elif any(words in hit.matched or (len(hit.matched) >= 4 and hit.matched in words) for hit in hits):
            true_pos.append(sentence)
        else:
            false_neg.append((sentence, [h.matched for h in hits]))
    return true_pos, false_neg, false_pos, true_neg


def test_the_corpus_is_large_enough_and_labelled_both_ways():
    rows = corpus()
    assert len(rows) >= 80
    assert sum(words is None for words, _, _ in rows) >= 30
    assert sum(words is not None for words, _, _ in rows) >= 40
    assert all(why for _, _, why in rows)


def test_recall_and_precision_on_the_labelled_corpus():
    true_pos, false_neg, false_pos, true_neg = measure()
    recall = len(true_pos) / (len(true_pos) + len(false_neg))
    precision = len(true_pos) / (len(true_pos) + len(false_pos))
    print(f"\nnon-attribution corpus: {len(true_pos) + len(false_neg)} to flag, {len(false_pos) + len(true_neg)} clean; "
          f"recall {recall:.1%} ({len(true_pos)}/{len(true_pos) + len(false_neg)}), "
          f"precision {precision:.1%} ({len(true_pos)}/{len(true_pos) + len(false_pos)})")
    for sentence, matched in false_neg:
        print(f"  missed: {sentence} (flagged {matched})")
    for sentence, matched in false_pos:
        print(f"  flagged wrongly: {sentence} ({matched})")
    assert recall >= 0.95
    assert precision >= 0.80
