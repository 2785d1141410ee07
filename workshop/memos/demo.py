"""Demo data of the notes and memo feature (``load(demo)``; idempotent).

For the 2012 R2P workshop: approved notes for each of its sessions and a memo, published and
dated March 2012. The context restates the public memo page's facts in our own words; that
page does not give the discussion's observations, so the notes and takeaways are illustrative
and say so.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from workshop.agenda.models import AgendaItem, ItemKind
from workshop.platform.db import db
from workshop.memos import service as memos
from workshop.memos.attribution import find_attributions
from workshop.memos.compile import SessionNotes, compile_memo
from workshop.memos.models import MemoState
from workshop.notes import service as notes

ILLUSTRATIVE_AGENDA = (
    # (kind, title, local start, local end)
    (ItemKind.PLENARY, "Opening plenary: the Focal Points initiative so far", (2012, 2, 24, 18, 30), (2012, 2, 24, 20, 0)),
    (ItemKind.WORKING_SESSION, "Session 1: The mandate and place of a national Focal Point", (2012, 2, 25, 9, 0), (2012, 2, 25, 12, 0)),
    (ItemKind.WORKING_SESSION, "Session 2: Early warning and coordination across government", (2012, 2, 25, 14, 0), (2012, 2, 25, 17, 0)),
    (ItemKind.WORKING_SESSION, "Session 3: Building the network ahead of its second meeting", (2012, 2, 26, 9, 0), (2012, 2, 26, 12, 0)),
)

ILLUSTRATIVE = "_Illustrative notes written for the demo; the public record gives no session notes._"

NOTE_TEXTS = (
    """## Observations

- The initiative has moved from an idea to a small but real group of appointed Focal Points in
  less than two years; participants saw the second meeting as the moment to show what it adds.
- Several participants stressed that the Focal Point is a function, not a new bureaucracy: the
  value lies in having one senior person who can convene the rest of government quickly.
- There was broad agreement that the network must stay open to states at very different stages.

## Recommendations

- Publish a short, plain statement of what a Focal Point is expected to do, and what not.
""",
    """## Observations

- Mandates vary widely: some Focal Points sit in foreign ministries, others at the centre of
  government. Placement close to decision-makers was seen as more important than the title.
- Participants warned that a Focal Point without a written mandate and staff time risks becoming
  a name on a list. Continuity across changes of government was a recurring worry.
- A national inventory of existing prevention tools (human rights bodies, early warning units,
  development programmes) was suggested as a practical first task.

## Recommendations

- Encourage each government to give its Focal Point a written mandate and a deputy.
- Offer new Focal Points a short induction, drawing on those appointed first.
""",
    """## Observations

- Early warning information usually exists; the gap is in moving it to someone who can act.
- Participants described the Focal Point's role as a bridge between analysis and decision,
  across foreign affairs, defence, development and justice.
- Regional organizations were seen as natural partners for early warning; links with them are
  uneven and depend on individuals.

## Recommendations

- Map, for each member state, who receives early warning information and who can act on it.
- Explore regular exchanges between Focal Points and regional early warning mechanisms.
""",
    """## Observations

- The network should be practical: sharing experience, peer support and quiet diplomacy
  in emerging crises, rather than producing declarations.
- Participants asked for a light secretariat function so that the network does not depend on
  a single meeting a year.
- Broadening membership beyond the first states, especially across regions, was a priority.

## Recommendations

- Agree at the second meeting on a small set of joint activities for the year ahead.
- Set up a secure channel for Focal Points to consult each other between meetings.
""",
)

EXTRA_NOTE = """## Observations

- Participants exchanged experience on the topic of this session; the discussion echoed the
  themes recorded in the other sessions.
"""

CONTEXT = """At the 2005 World Summit, governments accepted that every state is responsible for
protecting its population from genocide, war crimes, ethnic cleansing and crimes against
humanity, and that the international community shares that responsibility. Making the promise of
"never again" real depends on action at home as much as in regional and global institutions.

In September 2010 the Global Centre for the Responsibility to Protect, together with the
governments of Denmark and Ghana, began encouraging governments to appoint R2P Focal Points:
senior officials charged with strengthening their country's ability to prevent and respond to
mass atrocities. The initiative aims both to increase the number of Focal Points and to connect
them in a global network for cooperation. Costa Rica and Australia later joined Denmark, Ghana
and the Global Centre as co-organizers of the initiative and its network.

Ahead of the network's second meeting, the Global Centre and the Stanley Center brought Focal
Points and other national officials, ambassadors and experts from UN missions, UN staff and
atrocity prevention specialists together on 24-26 February 2012, as part of the Stanley Center's
43rd United Nations Issues Conference, to discuss the challenges facing individual Focal Points
and their young network. This memo outlines observations from that discussion.

_Demo note: the context above restates the public record. The takeaways and recommendations
below are illustrative, written for this demo; the published memo's own observations are not
reproduced._"""

CREDIT = "Prepared by the workshop rapporteur. Demo memo: the takeaways are illustrative."
MEMO_DATE = date(2012, 3, 1)


def _ensure_agenda(workshop) -> list[AgendaItem]:
    items = db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.workshop_id == workshop.id).order_by(*notes.agenda_order())
    ).all()
    if items:
        return list(items)
    zone = ZoneInfo(workshop.timezone)
    for kind, title, start, end in ILLUSTRATIVE_AGENDA:
        db.session.add(AgendaItem(
            workshop_id=workshop.id, kind=kind, title=title,
            description="Illustrative: the public memo does not give the agenda.",
            starts_at=datetime(*start, tzinfo=zone), ends_at=datetime(*end, tzinfo=zone),
            room="Plenary room (illustrative)",
        ))
    db.session.commit()
    return _ensure_agenda(workshop)


def _ensure_notes(demo, workshop) -> int:
    made = 0
    sessions = [item for item, _ in notes.notes_overview(workshop)]
    for index, item in enumerate(sessions):
        note = notes.note_for(item)
        if note.current is not None:
            continue
        text = NOTE_TEXTS[index] if index < len(NOTE_TEXTS) else EXTRA_NOTE
        notes.save(note, f"{ILLUSTRATIVE}\n\n{text}", demo.rapporteur, None)
        notes.change_state(note, "submit", demo.rapporteur)
        notes.change_state(note, "approve", demo.organizer)
        made += 1
    return made


def _theme(title: str) -> str:
    theme = title.split(": ", 1)[-1]
    return theme[:1].upper() + theme[1:]


def _for_memo(source: str) -> str:
    """The note as the memo's theme text: without the demo marker and the generic heading."""
    return source.replace(ILLUSTRATIVE, "").replace("## Observations\n", "").strip()


def _ensure_memo(demo, workshop) -> str:
    memo = memos.memo_for(workshop)
    if memo.versions:
        return "already published"
    if memo.current is None:
        memos.compile_from_notes(memo, demo.rapporteur)
        approved = notes.approved_notes(workshop)
        sessions = [SessionNotes(_theme(item.title), _for_memo(note.current.source)) for item, note in approved]
        memos.save(memo, compile_memo(CONTEXT, sessions), demo.rapporteur, memo.current.number)
        memo.credit = CREDIT
        memo.dated = MEMO_DATE
        db.session.commit()
    if memo.state == MemoState.DRAFT:
        memos.submit_for_review(memo)
    if memo.state == MemoState.IN_REVIEW:
        # Conveners and co-organizers, and names that are part of the workshop's public facts
        # (e.g. "United Nations" in the conference's name), are context, not attributions.
        public = {org.name for org in workshop.conveners + workshop.co_organizers}
        facts = " \n".join((workshop.title, workshop.conference, workshop.prepares_meeting, workshop.network))
        public |= {hit.name for hit in find_attributions(facts, memos.attribution_candidates(workshop))}
        remaining = memos.unresolved_names(memo)
        if set(remaining) - public:
            return "left in review: the non-attribution check lists " + ", ".join(remaining)
        memos.approve(memo, remaining)
    if memo.state == MemoState.APPROVED:
        memos.publish(memo, demo.organizer)
    return "published"


def load(demo) -> None:
    workshop = demo.r2p
    _ensure_agenda(workshop)
    made = _ensure_notes(demo, workshop)
    outcome = _ensure_memo(demo, workshop)
    demo.lines.append(f"Notes and memo for {workshop.slug}: {made} notes added; memo {outcome}.")
