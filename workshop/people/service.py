"""The contact directory: the only place contacts are made or changed."""

import csv
import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from workshop.platform import audit
from workshop.platform.forms import LINE_BREAKS, SINGLE_LINE_CONTROL

from workshop.people import access, honorifics
from workshop.platform.db import db
from workshop.platform.types import normalize_email
from workshop.people.countries import country_code
from workshop.people.models import Contact
from workshop.platform.errors import N_, UserError
from workshop.platform.i18n import known

CSV_COLUMNS = ("name", "email", "honorific", "position", "organization", "country", "category")
CONTACT_FIELDS = ("name", "email", "honorific", "position", "organization", "country")
MAX_IMPORT_ROWS = 5000


class PeopleError(UserError):
    pass


# Contacts ---------------------------------------------------------------------------------------


def find_contact(email: str) -> Contact | None:
    return db.session.scalar(sa.select(Contact).where(Contact.email == normalize_email(email)))


def contacts_query(query: str = "", *, viewer=None) -> sa.Select:
    """Contacts matching ``query``, by name, as one ordered statement; with ``viewer``, only
    those they may read."""
    statement = sa.select(Contact).order_by(Contact.name, Contact.email, Contact.id)
    if viewer is not None:
        statement = statement.where(access.visible_clause(viewer))
    query = (query or "").strip().lower()
    if query:
        like = f"%{query}%"
        statement = statement.where(sa.or_(
            sa.func.lower(Contact.name).like(like), Contact.email.like(like),
            sa.func.lower(Contact.organization).like(like)))
    return statement


def search_contacts(query: str = "", limit: int = 500, *, viewer=None) -> list[Contact]:
    return list(db.session.scalars(contacts_query(query, viewer=viewer).limit(limit)))


def _snapshot(contact: Contact) -> dict:
    return {name: getattr(contact, name) for name in CONTACT_FIELDS}


def _record(contact: Contact, before: dict | None, *, by=None) -> None:
    """Audit a new or changed contact, in the log of every workshop that uses it (so their
    organizers see who changed the address their invitations go to), else in the site's log."""
    after = _snapshot(contact)
    if before is None:
        action, changes = "contact.created", {name: value for name, value in after.items() if value}
    else:
        action = "contact.updated"
        changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        if not changes:
            return
    for workshop_id in access.workshops_using(contact) or [None]:
        audit.record(action, workshop=workshop_id, actor=by, target=contact, changes=changes)


def save_contact(contact: Contact | None, *, name: str, email: str, position: str = "",
                 organization: str = "", country: str = "", keep: bool | None = None, by=None,
                 language: str | None = None, honorific: str | None = None) -> Contact:
    """Add or change a contact; whether ``by`` may is the caller's check (people.access)."""
    email = normalize_email(email)
    clash = find_contact(email)
    if clash is not None and (contact is None or clash.id != contact.id):
        raise PeopleError(N_("Another contact already uses this email."))
    before = None if contact is None else _snapshot(contact)
    if contact is None:
        contact = Contact(email=email, created_by_id=getattr(by, "id", None))
        db.session.add(contact)
    contact.name = " ".join((name or "").split())
    contact.email = email
    contact.position = (position or "").strip()
    contact.organization = (organization or "").strip()
    contact.country = (country or "").upper()
    if honorific is not None:
        if honorific and not honorifics.known(honorific):
            raise PeopleError(N_("Choose an honorific from the list, or none."))
        contact.honorific = honorific
    if keep is not None:
        contact.keep = keep
    if language is not None:
        contact.language = known(language) or ""
    db.session.flush()
    _record(contact, before, by=by)
    return contact


def find_or_create_contacts(pairs, *, by=None) -> list[Contact]:
    """Contacts for (name, email) pairs: existing ones by e-mail (never renamed), new ones made."""
    contacts = []
    for name, email in pairs:
        email = normalize_email(email)
        contact = find_contact(email)
        if contact is None:
            contact = Contact(name=name.strip() or email.split("@")[0], email=email,
                              created_by_id=getattr(by, "id", None))
            db.session.add(contact)
            db.session.flush()
            _record(contact, None, by=by)
        contacts.append(contact)
    return contacts


# CSV import -------------------------------------------------------------------------------------


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    existing: bool = False  # the email is already in the directory (the row updates it)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    errors: list[str] = field(default_factory=list)  # about the file as a whole

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(not row.ok for row in self.rows)


def decode_upload(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PeopleError(N_("The file is not text in UTF-8."))


def preview_import(text: str, categories: dict[str, object] | None = None) -> ImportPreview:
    """Check every row of a contacts CSV without saving anything.

    Columns (header row, any order, case-insensitive): name, email, and optionally honorific
    (H.E., Ambassador, Dr., ... as the export writes them, in any of the six languages),
    position, organization, country (ISO code or English name) and category (when importing
    for a workshop: one of its categories, by name)."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return _preview_rows(csv.reader(io.StringIO(text, newline=""), dialect), categories)
    except csv.Error:
        # A stray carriage return, a NUL byte...: the file cannot be read as CSV at all.
        return ImportPreview([], ["The file could not be read as CSV. Save it again from a spreadsheet as "
                                  "\"CSV UTF-8\" and upload that file."])


def _preview_rows(reader, categories) -> ImportPreview:
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return ImportPreview([], ["The file is empty."])
    missing = [c for c in ("name", "email") if c not in header]
    if missing:
        return ImportPreview([], [f"The first row must name the columns; missing: {', '.join(missing)}."])
    categories_by_name = {name.casefold(): value for name, value in (categories or {}).items()}
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            return ImportPreview(rows, [f"At most {MAX_IMPORT_ROWS} rows can be imported at once."])
        values = {column: (record[i].strip() if i < len(record) else "") for i, column in enumerate(header)
                  if column in CSV_COLUMNS}
        row = ImportRow(line=number, values=values)
        _check_row(row, seen, categories_by_name if categories is not None else None)
        rows.append(row)
    if not rows:
        return ImportPreview([], ["The file has a header but no contacts."])
    return ImportPreview(rows)


def _check_row(row: ImportRow, seen: dict[str, int], categories: dict | None) -> None:
    values = row.values
    for column, value in values.items():
        # As SafeForm does for typed text: one line, no control characters (NUL cannot be
        # stored in PostgreSQL; a line break in a name could split an email header).
        if LINE_BREAKS.search(value) or SINGLE_LINE_CONTROL.search(value):
            row.errors.append(f"The {column} has line breaks or invisible control characters; "
                              "keep it to one line of text.")
    values["name"] = " ".join(values.get("name", "").split())
    if not values["name"]:
        row.errors.append("The name is missing.")
    elif len(values["name"]) > 200:
        row.errors.append("The name is longer than 200 characters.")
    try:
        values["email"] = validate_email(values.get("email", ""), check_deliverability=False, allow_smtputf8=False).normalized.lower()
    except EmailNotValidError:
        row.errors.append(f"'{values.get('email', '')}' is not a valid email address." if values.get("email")
                          else "The email is missing.")
    else:
        if values["email"] in seen:
            row.errors.append(f"The same email is on line {seen[values['email']]}.")
        seen.setdefault(values["email"], row.line)
        row.existing = find_contact(values["email"]) is not None
    for column in ("position", "organization"):
        if len(values.get(column, "")) > 200:
            row.errors.append(f"The {column} is longer than 200 characters.")
    honorific = honorifics.from_text(values.get("honorific", ""))
    if honorific is None:
        row.errors.append(_("'%(value)s' is not an honorific we know; use one of %(known)s, or leave it empty.",
                            value=values.get("honorific"), known=", ".join(map(honorifics.label, honorifics.CODES))))
    else:
        values["honorific"] = honorific
    code = country_code(values.get("country", ""))
    if code is None:
        row.errors.append(f"'{values.get('country')}' is not a country we know; use its two-letter ISO code.")
    else:
        values["country"] = code
    category = values.get("category", "")
    if category and categories is not None:
        if category.casefold() not in categories:
            row.errors.append(f"'{category}' is not one of this workshop's categories.")
    elif category and categories is None:
        values["category"] = ""  # categories belong to a workshop; ignored in the directory import


def apply_import(preview: ImportPreview, *, by=None) -> list[Contact]:
    """Save the valid rows of a preview that has no errors: new contacts are made, known emails
    updated where ``by`` may change them (people.access) and left as they are otherwise, so a
    file cannot rename someone else's contact. One transaction; the caller commits (so
    invitations can join the same one)."""
    if preview.has_errors:
        raise PeopleError(N_("Correct the errors in the file first; nothing was saved."))
    found = {c.email: c for c in db.session.scalars(
        sa.select(Contact).where(Contact.email.in_([row.values["email"] for row in preview.rows])))}
    editable = access.editable_ids(by, [c.id for c in found.values()]) if by is not None else {c.id for c in found.values()}
    contacts, made, changed = [], [], []
    for row in preview.rows:
        values = row.values
        contact = found.get(values["email"])
        if contact is None:
            contact = Contact(email=values["email"], name=values["name"], created_by_id=getattr(by, "id", None))
            db.session.add(contact)
            found[contact.email] = contact
            made.append(contact)
        elif contact.id in editable:
            changed.append((contact, _snapshot(contact)))
        else:
            contacts.append(contact)
            continue
        contact.name = values["name"]
        for column in ("honorific", "position", "organization", "country"):
            if values.get(column):
                setattr(contact, column, values[column])
        contacts.append(contact)
    db.session.flush()
    for contact in made:
        _record(contact, None, by=by)
    for contact, before in changed:
        _record(contact, before, by=by)
    return contacts
