"""Mozilla's ical.js (the parser of Thunderbird), run by node, as a second calendar parser.

``parse(data)`` returns what ical.js reads from an iCalendar file: the calendar's properties
and each event's UID, SEQUENCE, DTSTAMP, STATUS, ORGANIZER and ATTENDEE with their CN. Tests
that use it skip, and say why, where node or the package (``npm ci --prefix tests/browser``,
which ``make test`` runs) is missing."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MODULE = Path(__file__).resolve().parent.parent / "browser" / "node_modules" / "ical.js" / "dist" / "ical.es5.cjs"

SCRIPT = r"""
const ICAL = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const calendar = new ICAL.Component(ICAL.parse(input));
  const value = (component, name) => {
    const property = component.getFirstProperty(name);
    return property === null ? null : property.getFirstValue().toString();
  };
  const address = (property) => ({value: property.getFirstValue(), cn: property.getParameter("cn")});
  const out = {
    method: value(calendar, "method"),
    refresh_interval: value(calendar, "refresh-interval"),
    refresh_interval_type: calendar.getFirstProperty("refresh-interval")?.type ?? null,
    published_ttl: value(calendar, "x-published-ttl"),
    events: calendar.getAllSubcomponents("vevent").map((event) => ({
      uid: value(event, "uid"),
      sequence: event.getFirstPropertyValue("sequence"),
      dtstamp: value(event, "dtstamp"),
      status: value(event, "status"),
      summary: value(event, "summary"),
      organizer: event.getFirstProperty("organizer") ? address(event.getFirstProperty("organizer")) : null,
      attendees: event.getAllProperties("attendee").map(address),
    })),
  };
  process.stdout.write(JSON.stringify(out));
});
"""


def available() -> str | None:
    """None when ical.js can run, else the reason it cannot."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs npm)"
    if not MODULE.is_file():
        return "ical.js is not installed (npm ci --prefix tests/browser)"
    return None


def parse(data: bytes) -> dict:
    reason = available()
    if reason:
        pytest.skip(f"Mozilla ical.js cannot run: {reason}")
    result = subprocess.run(["node", "-e", SCRIPT, str(MODULE)], input=data, capture_output=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return json.loads(result.stdout)
