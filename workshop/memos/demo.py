"""Demo data of the notes and memo feature (``load(demo)``; idempotent).

For the 2012 R2P workshop: approved notes for each of its sessions and a memo, published and
dated March 2012. The context restates the public memo page's facts in our own words; that
page does not give the discussion's observations, so the notes and takeaways are illustrative
and say so.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from workshop.agenda.models import AgendaItem, ItemKind
from workshop.platform.db import db
from workshop.memos import service as memos
from workshop.memos.attribution import find_attributions
from workshop.memos.compile import SessionNotes, compile_memo, insert_in_context
from workshop.memos.models import MemoState
from workshop.notes import service as notes

ILLUSTRATIVE_AGENDA = (
    # (kind, title, local start, local end): used only when the agenda loader gave no sessions
    (ItemKind.PLENARY, "Welcome and introductions", (2012, 2, 24, 13, 30), (2012, 2, 24, 14, 15)),
    (ItemKind.WORKING_SESSION, "The mandate of a national R2P Focal Point", (2012, 2, 24, 14, 15), (2012, 2, 24, 15, 45)),
    (ItemKind.PLENARY, "Early warning: from information to action", (2012, 2, 25, 9, 0), (2012, 2, 25, 10, 30)),
    (ItemKind.WORKING_SESSION, "The future of the Focal Points Network", (2012, 2, 26, 9, 0), (2012, 2, 26, 10, 30)),
)

ILLUSTRATIVE = "_Illustrative notes written for the demo; the public record gives no session notes._"

# Keyed by session title, so each point sits under the session it is about whatever the order
# of the agenda. Themes from the public memo page (national responsibility, prevention at home,
# regionally and internationally, the Focal Point's mandate, the network); the points themselves
# are illustrative.
NOTE_TEXTS = {
    "Welcome and introductions": """## Observations

- The initiative has moved from an idea to a small but real group of appointed Focal Points in
  less than two years; participants saw the second meeting as the moment to show what it adds.
- Participants agreed that the discussion would focus on practice at home rather than on the
  principle itself, which governments accepted at the 2005 World Summit.
""",
    "The mandate of a national R2P Focal Point": """## Observations

- Mandates vary widely: some Focal Points sit in foreign ministries, others at the centre of
  government. Placement close to decision-makers was seen as more important than the title.
- A Focal Point without a written mandate and staff time risks becoming a name on a list;
  continuity across changes of government was a recurring worry.

## Recommendations

- Encourage each government to give its Focal Point a written mandate and a deputy.
""",
    "Building national architecture for atrocity prevention": """## Observations

- Most countries already have pieces of a prevention architecture (human rights institutions,
  inter-ministerial committees, development programmes) that nobody sees as a whole.
- Parliaments and civil society were described as early and honest sources of concern, and as
  a check that keeps prevention on the agenda when attention moves elsewhere.

## Recommendations

- Start with a national inventory of existing prevention tools before creating new bodies.
""",
    "Early warning: from information to action": """## Observations

- Early warning information usually exists; the gap is in moving it to someone who can act.
- Participants described the Focal Point as a bridge between analysis and decision, across
  foreign affairs, defence, development and justice.

## Recommendations

- Map, for each member state, who receives early warning information and who can act on it.
""",
    "Breakout A: Risk assessment in practice": """## Observations

- Risk frameworks work best as a shared vocabulary for ministries, not as a ranking of
  countries; several participants preferred a short list of warning signs to long indices.
- Assessments kept internal were seen as more candid; the trade-off with public accountability
  was left open.
""",
    "Breakout B: Mainstreaming prevention across government": """## Observations

- Prevention gains ground when it is written into existing training for diplomats, police and
  the military rather than taught as a separate subject.
- Guidance notes that name concrete steps for each ministry were preferred over general
  statements of commitment.

## Recommendations

- Share training material among Focal Points so that each government need not start alone.
""",
    "Regional and sub-regional cooperation": """## Observations

- Regional organizations were seen as natural partners for early warning, but links with them
  are uneven and often depend on individuals.
- Neighbouring states can act quietly and early, where a global response comes late and loud.

## Recommendations

- Explore regular exchanges between Focal Points and regional early warning mechanisms.
""",
    "Working with the United Nations system": """## Observations

- Focal Points can give the UN Special Advisers a national counterpart who answers quickly, and
  the Special Advisers can give Focal Points analysis a single government lacks.
- Participants asked for clearer entry points into the UN system for smaller missions.
""",
    "The future of the Focal Points Network": """## Observations

- The network should stay practical: sharing experience, peer support and quiet diplomacy in
  emerging crises, rather than producing declarations.
- Broadening membership across regions was a priority, and so was a light secretariat function
  so that the network does not depend on a single meeting a year.

## Recommendations

- Set up a secure channel for Focal Points to consult each other between meetings.
""",
    "Closing plenary: takeaways for the second meeting": """## Observations

- Participants proposed that the second meeting agree on a small set of joint activities for
  the year ahead and on how new members are welcomed.
- A short, plain statement of what a Focal Point is expected to do, and what not, was seen as
  the most useful single product for governments considering an appointment.
""",
}

# For a session a user added to the demo workshop: said to be a placeholder, not a takeaway.
EXTRA_NOTE = """## Observations

- (Demo placeholder: no illustrative notes were written for this session.)
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
            room="Main hall",
        ))
    db.session.commit()
    return _ensure_agenda(workshop)


def _ensure_notes(demo, workshop) -> int:
    made = 0
    sessions = [item for item, _ in notes.notes_overview(workshop)]
    for item in sessions:
        note = notes.note_for(item)
        if note.current is not None:
            continue
        text = NOTE_TEXTS.get(item.title, EXTRA_NOTE)
        notes.save(note, f"{ILLUSTRATIVE}\n\n{text}", demo.rapporteur, None)
        notes.change_state(note, "submit", demo.rapporteur)
        notes.change_state(note, "approve", demo.organizer)
        made += 1
    return made


_LABEL = re.compile(r"^(session \w+|breakout \w+|opening plenary|closing plenary)$", re.IGNORECASE)


def _theme(title: str) -> str:
    """The memo heading of a session: its title without a label such as "Breakout A: ", but
    "Early warning: from information to action" keeps what it is about."""
    label, _, rest = title.partition(": ")
    theme = rest if rest and _LABEL.match(label) else title
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
        # Who took part, in counts drafted from the registrations, at the end of the Context.
        source = insert_in_context(compile_memo(CONTEXT, sessions), memos.participation_paragraph(workshop))
        memos.save(memo, source, demo.rapporteur, memo.current.number)
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
