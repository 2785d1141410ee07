"""Where the top-level folders of the design card live, in a checkout and in an installed wheel."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """A wheel carries ``templates``/``static``/``migrations``/``translations`` inside the package; a checkout
    (and an editable install) keeps them beside it."""
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


TEMPLATES_DIR = resource_dir("templates")
STATIC_DIR = resource_dir("static")
MIGRATIONS_DIR = resource_dir("migrations")
TRANSLATIONS_DIR = resource_dir("translations")
