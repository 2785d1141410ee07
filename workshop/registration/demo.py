"""Demo data for registration: contacts, invitations in every state, registrations for both
demo workshops. Idempotent: each record is looked up by its natural key first, and settings a
user has already saved are left alone. All people are fictional."""

from datetime import timedelta

from workshop.people import service as people
from workshop.registration import confirmation, invitations, service
from workshop.registration.models import Category, InvitationState, State
from workshop.platform.types import utcnow

CONTACTS = (
    # name, email, position, organization, country, category
    ("Amara Diallo", "amara.diallo@demo.example", "R2P Focal Point", "Ministry of Foreign Affairs", "SN", "R2P Focal Point"),
    ("Lars Holm", "lars.holm@demo.example", "R2P Focal Point", "Ministry of Foreign Affairs", "DK", "R2P Focal Point"),
    ("Kwame Owusu", "kwame.owusu@demo.example", "Director, Multilateral Affairs", "Ministry of Foreign Affairs", "GH", "National representative"),
    ("Sofía Vargas", "sofia.vargas@demo.example", "Minister Counsellor", "Permanent Mission of Costa Rica to the UN", "CR", "UN mission"),
    ("Claire Whitfield", "claire.whitfield@demo.example", "Counsellor", "Permanent Mission of Australia to the UN", "AU", "UN mission"),
    ("Nadia Rahman", "nadia.rahman@demo.example", "Political Affairs Officer", "UN Office on Genocide Prevention and the R2P", "BD", "UN official"),
    ("Jean-Paul Mbeki", "jp.mbeki@demo.example", "Senior Adviser", "UN Department of Political Affairs", "CM", "UN official"),
    ("Elena Petrova", "elena.petrova@demo.example", "Researcher, mass atrocity prevention", "University research centre", "BG", "Expert/specialist"),
    ("Tomás Ibáñez", "tomas.ibanez@demo.example", "Programme Director", "Regional early-warning network", "AR", "Expert/specialist"),
    ("Hana Sato", "hana.sato@demo.example", "R2P Focal Point", "Ministry of Foreign Affairs", "JP", "R2P Focal Point"),
    ("Mariam Keita", "mariam.keita@demo.example", "First Secretary", "Permanent Mission of Mali to the UN", "ML", "UN mission"),
    ("David Osei", "david.osei@demo.example", "Policy analyst", "West African civil society network", "GH", "Expert/specialist"),
)

# Honorifics the demo's letters address people by ("Dear Dr. Petrova,"); the rest have none,
# and their letters fall back on the name.
HONORIFICS = {
    "kwame.owusu@demo.example": "mr", "sofia.vargas@demo.example": "ms", "claire.whitfield@demo.example": "ms",
    "jp.mbeki@demo.example": "mr", "elena.petrova@demo.example": "dr", "mariam.keita@demo.example": "ms",
}

# Who answers how, per workshop: accepted (registers), declined, opened (not answered),
# pending (not opened), expired.
R2P_ANSWERS = {
    "amara.diallo@demo.example": "accepted", "lars.holm@demo.example": "accepted",
    "kwame.owusu@demo.example": "accepted", "sofia.vargas@demo.example": "accepted",
    "claire.whitfield@demo.example": "accepted", "nadia.rahman@demo.example": "accepted",
    "jp.mbeki@demo.example": "declined", "elena.petrova@demo.example": "accepted",
    "tomas.ibanez@demo.example": "expired", "hana.sato@demo.example": "declined",
}
OPEN_ANSWERS = {
    "amara.diallo@demo.example": "accepted", "kwame.owusu@demo.example": "accepted",
    "nadia.rahman@demo.example": "declined", "elena.petrova@demo.example": "opened",
    "tomas.ibanez@demo.example": "pending", "mariam.keita@demo.example": "pending",
    "david.osei@demo.example": "expired", "lars.holm@demo.example": "accepted",
}
OPEN_WALK_INS = (
    ("Grace Njeri", "grace.njeri@demo.example", "Programme Officer", "Kenyan human rights commission", "KE", "public"),
    ("Omar Haddad", "omar.haddad@demo.example", "Journalist", "Regional newspaper", "JO", "participants"),
    ("Ingrid Larsen", "ingrid.larsen@demo.example", "Student", "Graduate school of international affairs", "NO", "nobody"),
)


def load(demo) -> None:
    contacts = {}
    for name, email, position, organization, country, _category in CONTACTS:
        contact = people.find_contact(email) or people.save_contact(
            None, name=name, email=email, position=position, organization=organization, country=country,
            honorific=HONORIFICS.get(email, ""))
        contacts[email] = contact

    # Settings the demo has not configured yet (a new workshop has no capacity).
    if service.settings_for(demo.r2p).capacity is None:
        service.update_settings(demo.r2p, mode="invitation", capacity=30, participants_published=True,
                                privacy_notice="Demo: the organizers keep these details to run the workshop.")
    if service.settings_for(demo.open_workshop).capacity is None:
        start = demo.open_workshop.start_date
        from datetime import datetime, time, timezone
        from zoneinfo import ZoneInfo

        closes = datetime.combine(start - timedelta(days=7), time(18, 0), tzinfo=ZoneInfo(demo.open_workshop.timezone))
        service.update_settings(demo.open_workshop, mode="open", capacity=40, participants_published=True,
                                closes_at=closes.astimezone(timezone.utc),
                                privacy_notice="Demo: the organizers keep these details to run the workshop.")

    made = 0
    for workshop, answers in ((demo.r2p, R2P_ANSWERS), (demo.open_workshop, OPEN_ANSWERS)):
        categories = {c.name: c for c in service.categories_for(workshop)}
        for name, email, _position, _organization, _country, category_name in CONTACTS:
            if email not in answers:
                continue
            contact = contacts[email]
            category: Category | None = categories.get(category_name)
            invitation = invitations.invite(workshop, contact, category=category, by=demo.organizer)
            if invitation is None:
                continue  # already there from an earlier run
            made += 1
            _answer(workshop, invitation, answers[email], contact, category)

    for name, email, position, organization, country, consent in OPEN_WALK_INS:
        if service.find_registration(demo.open_workshop, email) is None:
            walk_in = service.register(demo.open_workshop, {
                "name": name, "email": email, "position": position, "organization": organization,
                "country": country, "consent": consent,
            })
            if walk_in.state == State.UNCONFIRMED:
                confirmation.confirm(walk_in)  # as each did by the link in their email
            made += 1
    demo.lines.append(f"Registration demo: {len(contacts)} contacts; {made} invitations/registrations added.")


def _answer(workshop, invitation, answer: str, contact, category) -> None:
    # The past workshop's invitations were answered before their deadline, back then.
    now = min(utcnow(), invitations.deadline(invitation) - timedelta(days=1))
    if answer == "opened":
        invitations.mark_opened(invitation)
    elif answer == "declined":
        invitations.mark_opened(invitation, now)
        invitations.decline(invitation, "Demo: another commitment that week, with regrets.", now=now)
    elif answer == "expired":
        invitations.expire(invitation)
    elif answer == "accepted":
        service.register(workshop, {
            "name": contact.name, "honorific": contact.honorific, "position": contact.position,
            "organization": contact.organization, "country": contact.country, "category_id": category.id if category else None,
            "consent": "participants" if contact.country in ("DK", "AU") else "public",
        }, invitation=invitation, now=now)
    assert invitation.state in set(InvitationState)
