"""The registration list as CSV and XLSX, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return, which some programs skip before
reading a formula) would run as a formula; such cells get a leading apostrophe. A spreadsheet
that splits cells on another separator (a semicolon in much of Europe, a tab, a pipe) or
ignores the quotes starts a new cell after each one, so a formula start after any separator gets
an apostrophe too: ``ACME;=1+1`` is exported as ``ACME;'=1+1``. Every CSV field is quoted.

Countries and honorifics are written by name in the reader's language; dates are real date cells in the
spreadsheet (ISO dates in the CSV), and the time of registration is on the workshop's clock."""

import csv
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from workshop.platform import audit
from workshop.people import honorifics
from workshop.people.countries import country_name
from workshop.platform.db import db
from workshop.registration.models import Registration

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A separator some program splits on, spaces it may trim, then a formula start.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t|\r\n][ ]*)(?=[=+\-@])")

COLUMNS = (
    ("Name", lambda r: r.name),
    ("Email", lambda r: r.email),
    # After name and email, so the columns programs read by position (the first two) stay put.
    ("Honorific", lambda r: honorifics.label(r.honorific)),
    ("State", lambda r: r.state),
    ("Waitlist position", lambda r: r.waitlist_position if r.state == "waitlisted" else ""),
    ("Category", lambda r: r.category.name if r.category else ""),
    ("Title/position", lambda r: r.position),
    ("Organization", lambda r: r.organization),
    ("Country", lambda r: country_name(r.country)),
    ("Dietary needs", lambda r: r.dietary_needs),
    ("Accessibility needs", lambda r: r.accessibility_needs),
    ("Arrival", lambda r: r.arrival_date or ""),
    ("Departure", lambda r: r.departure_date or ""),
    ("Participant list consent", lambda r: r.consent),
    ("Registered at (workshop time)",
     lambda r: r.created_at.astimezone(ZoneInfo(r.workshop.timezone)).replace(tzinfo=None, microsecond=0)),
)
# Widths in characters: room for a typical value, not the longest one.
WIDTHS = {"Honorific": 12, "Name": 26, "Email": 32, "State": 12, "Waitlist position": 10, "Category": 22,
          "Title/position": 24, "Organization": 30, "Country": 20, "Dietary needs": 22,
          "Accessibility needs": 22, "Arrival": 12, "Departure": 12, "Participant list consent": 14,
          "Registered at (workshop time)": 18}
DATE_FORMAT, MOMENT_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"


def neutralize(value):
    """The value, made inert if a spreadsheet would read it as a formula."""
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    if value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def rows(registrations: list[Registration], extra=()) -> list[list]:
    """The header and one row a registration; ``extra`` columns (``(title, get)``, e.g. one a
    question) follow the fixed ones and are neutralized the same way."""
    columns = list(COLUMNS) + list(extra)
    header = [neutralize(title) for title, _ in columns]
    return [header] + [[neutralize(get(r)) for _, get in columns] for r in registrations]


def _as_text(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(registrations: list[Registration], extra=()) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerows([[_as_text(value) for value in row] for row in rows(registrations, extra)])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def csv_chunks(statement, extra=(), *, batch: int = 500):
    """The CSV of a filtered list, produced a batch of rows at a time from ``statement`` (see
    dashboard.registrations_query), so a workshop with 3,000 registrations is sent without the
    whole file, or every row, in memory at once. The same bytes as ``to_csv``."""
    columns = list(COLUMNS) + list(extra)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)

    def taken() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([neutralize(title) for title, _ in columns])
    yield ("\ufeff" + taken()).encode("utf-8")  # the BOM makes Excel read UTF-8
    result = db.session.scalars(statement.execution_options(yield_per=batch))
    for rows_of_batch in result.partitions():
        for registration in rows_of_batch:
            writer.writerow([_as_text(neutralize(get(registration))) for _, get in columns])
        yield taken().encode("utf-8")


def to_xlsx(registrations: list[Registration], extra=()) -> bytes:
    # Imported here: openpyxl is ~12 MB in every web worker, and only an export needs it.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Registrations"
    for row in rows(registrations, extra):
        sheet.append(row)
    for index, cell in enumerate(sheet[1], 1):
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(cell.value, 16)
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling
    sheet.auto_filter.ref = sheet.dimensions
    # openpyxl stores a string starting with "=" as a formula; neutralized values never do,
    # and every value is written as a string cell.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, datetime):
                cell.number_format = MOMENT_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def record_export(workshop, fmt: str, count: int, filters: str, *, sensitive: bool = False) -> None:
    """An export takes personal data out of the app: the audit log says who, when, how many,
    and whether sensitive answers went with it."""
    audit.record("registration.exported", workshop=workshop, target=("workshop", workshop.id),
                 format=fmt, rows=count, filters=filters, **({"sensitive": True} if sensitive else {}))
    db.session.flush()
