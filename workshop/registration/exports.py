"""The registration list as CSV and XLSX, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return, which some programs skip before
reading a formula) would run as a formula; such cells get a leading apostrophe. A spreadsheet
that splits cells on another separator (a semicolon in much of Europe, a tab, a pipe) or
ignores the quotes starts a new cell after each one, so a formula start after any separator gets
an apostrophe too: ``ACME;=1+1`` is exported as ``ACME;'=1+1``. Every CSV field is quoted."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from workshop.platform import audit
from workshop.platform.db import db
from workshop.registration.models import Registration

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A separator some program splits on, spaces it may trim, then a formula start.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t|\r\n][ ]*)(?=[=+\-@])")

COLUMNS = (
    ("Name", lambda r: r.name),
    ("Email", lambda r: r.email),
    ("State", lambda r: r.state),
    ("Waitlist position", lambda r: r.waitlist_position if r.state == "waitlisted" else ""),
    ("Category", lambda r: r.category.name if r.category else ""),
    ("Title/position", lambda r: r.position),
    ("Organization", lambda r: r.organization),
    ("Country", lambda r: r.country),
    ("Dietary needs", lambda r: r.dietary_needs),
    ("Accessibility needs", lambda r: r.accessibility_needs),
    ("Arrival", lambda r: r.arrival_date.isoformat() if r.arrival_date else ""),
    ("Departure", lambda r: r.departure_date.isoformat() if r.departure_date else ""),
    ("Participant list consent", lambda r: r.consent),
    ("Registered at (UTC)", lambda r: r.created_at.strftime("%Y-%m-%d %H:%M")),
)


def neutralize(value):
    """The value, made inert if a spreadsheet would read it as a formula."""
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    if value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def rows(registrations: list[Registration]) -> list[list]:
    header = [title for title, _ in COLUMNS]
    return [header] + [[neutralize(get(r)) for _, get in COLUMNS] for r in registrations]


def to_csv(registrations: list[Registration]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerows(rows(registrations))
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def to_xlsx(registrations: list[Registration]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Registrations"
    for row in rows(registrations):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # openpyxl stores a string starting with "=" as a formula; neutralized values never do,
    # and every value is written as a string cell.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def record_export(workshop, fmt: str, count: int, filters: str) -> None:
    """An export takes personal data out of the app: the audit log says who, when, how many."""
    audit.record("registration.exported", workshop=workshop, target=("workshop", workshop.id),
                 format=fmt, rows=count, filters=filters)
    db.session.flush()
