"""Compiled catalogs for a run that did not go through `make install` (pytest called directly):
each .mo older than its .po is compiled again, as the Makefile's rule would."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def compile_stale_catalogs() -> None:
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with open(po, "rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        with open(mo, "wb") as handle:
            write_mo(handle, catalog)
