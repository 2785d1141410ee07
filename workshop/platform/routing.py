"""URL converters shared by every route."""

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter

from workshop.platform.i18n import LANGUAGES

# The smallest integer column both supported databases store (PostgreSQL's INTEGER).
MAX_DATABASE_INT = 2**31 - 1


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` that matches only ids a database column can hold: a larger number is no
    route at all (404), instead of an OverflowError on SQLite or "integer out of range" on
    PostgreSQL when the view looks it up."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DATABASE_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=MAX_DATABASE_INT if max is None else max, signed=signed)


class LanguageConverter(BaseConverter):
    """``<lang:...>``: one of the six language codes, nothing else ('fr', not 'edit')."""

    regex = "(?:" + "|".join(LANGUAGES) + ")"


def install(app: Flask) -> None:
    """Before any blueprint is registered: rules read the converter when they are added."""
    app.url_map.converters["int"] = DatabaseIntConverter
    app.url_map.converters["lang"] = LanguageConverter


def database_int(text: str) -> int:
    """For ``request.args.get(name, type=database_int)``: an id a column can hold, else the
    argument counts as absent (the ValueError makes Werkzeug return the default)."""
    value = int(text)
    if not -MAX_DATABASE_INT - 1 <= value <= MAX_DATABASE_INT:
        raise ValueError("out of the database's integer range")
    return value
