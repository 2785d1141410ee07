"""Every word a person reads can be extracted by ``make translations``.

Python: the message given to a gettext function is a literal, so the extractor sees it and the
parameters stay apart (``_("Saved %(name)s", name=...)``); an f-string, a ``str(...)`` or a
variable inside ``_()`` can never be translated. Templates (heuristic): text between the tags and
the human-readable attributes must come from ``{% trans %}`` or ``{{ _() }}``; what is not a word
(symbols, codes) is listed in tests/i18n_template_allowlist.txt.
"""

import ast
import re
from pathlib import Path

from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
GETTEXT_NAMES = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "N_", "pgettext", "lazy_pgettext"}
# The one function that receives a message as a variable: its msgid was marked with N_ where the
# error was raised.
VARIABLE_MESSAGE_ALLOWED = {("workshop/platform/errors.py", "translated")}
ALLOWLIST = ROOT / "tests" / "i18n_template_allowlist.txt"


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute) and call.func.attr in {"gettext", "ngettext", "lazy_gettext"}:
        return call.func.attr
    return None


def _literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def python_offences(path: Path, source: str) -> list[str]:
    relative = path.relative_to(ROOT).as_posix() if path.is_absolute() else str(path)
    offences = []
    tree = ast.parse(source)
    functions = {}
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                functions.setdefault(id(node), function.name)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _called_name(node) not in GETTEXT_NAMES:
            continue
        name = _called_name(node)
        literal_count = 2 if name in {"ngettext", "lazy_ngettext", "pgettext", "lazy_pgettext"} else 1
        arguments = node.args[:literal_count]
        if arguments and all(_literal(argument) for argument in arguments):
            continue
        if (relative, functions.get(id(node))) in VARIABLE_MESSAGE_ALLOWED:
            continue
        kind = ("an f-string" if any(isinstance(a, ast.JoinedStr) for a in arguments)
                else "a str() call" if any(isinstance(a, ast.Call) for a in arguments)
                else "a non-literal message")
        offences.append(f"{relative}:{node.lineno}: {name}() given {kind}")
    return offences


def test_every_python_message_is_a_literal():
    offences = []
    for path in sorted((ROOT / "workshop").rglob("*.py")):
        offences += python_offences(path, path.read_text(encoding="utf-8"))
    assert offences == []


def test_the_python_check_catches_the_patterns_it_forbids():
    bad = 'from flask_babel import gettext as _\n_(f"Hello {name}")\n_(str(error))\n_(message)\n'
    good = '_("Hello %(name)s", name=name)\nngettext("%(num)d seat", "%(num)d seats", n)\n'
    assert len(python_offences(Path("bad.py"), bad)) == 3
    assert python_offences(Path("good.py"), good) == []


_HUMAN_ATTRIBUTES = re.compile(r'\b(?:title|alt|placeholder|aria-label|aria-description)="([^"]*)"', re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_SKIPPED = re.compile(r"<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>", re.S | re.I)
_ENTITY = re.compile(r"&[a-z]+;|&#\d+;")


def _allowed() -> set[str]:
    lines = ALLOWLIST.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def template_offences(name: str, source: str, allowed: set[str]) -> list[str]:
    """Text that is neither inside {% trans %} nor produced by an expression: the template with
    its trans blocks dropped and every expression or tag replaced by a mark that has no letters,
    then HTML tags taken out."""
    environment = Environment(extensions=["jinja2.ext.i18n"])
    kept = []
    in_trans = False
    previous = None
    for _lineno, token, value in environment.lex(source):
        if token == "name" and previous == "block_begin":
            in_trans = value == "trans" or (in_trans and value != "endtrans")
        if token != "whitespace":
            previous = token
        if token == "data" and not in_trans:
            kept.append(value)
        elif not kept or kept[-1] != "\x00":
            kept.append("\n" * value.count("\n") or "\x00")
    text = _SKIPPED.sub(_blank, "".join(kept))
    pieces = [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _HUMAN_ATTRIBUTES.finditer(text)]
    if not name.endswith(".txt"):
        text = _TAG.sub(_blank, text)
    pieces += [(number, line) for number, line in enumerate(text.split("\n"), start=1)]
    offences = []
    for lineno, piece in sorted(pieces):
        for part in _ENTITY.sub(" ", piece).split("\x00"):
            part = part.strip()
            if re.search(r"[^\W\d_]", part) and part not in allowed:
                offences.append(f"{name}:{lineno}: {part!r}")
    return offences


def _blank(match: re.Match) -> str:
    """A removed piece: its line breaks kept (for line numbers), a separator otherwise."""
    return "\n" * match.group().count("\n") + "\x00"


def test_template_text_is_translatable():
    allowed = _allowed()
    offences = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            name = path.relative_to(ROOT / "templates").as_posix()
            offences += template_offences(name, path.read_text(encoding="utf-8"), allowed)
    assert offences == []


def test_the_template_check_catches_bare_text():
    source = ('<p>{% trans %}Fine{% endtrans %}</p><p>{{ _("Fine") }}</p>'
              '<p>Not translated</p><img alt="A logo" src="x.png">')
    found = sorted(o.split(": ", 1)[1] for o in template_offences("t.html", source, set()))
    assert found == ["'A logo'", "'Not translated'"]
    assert template_offences("t.html", source.replace("Not translated", "→"), {"A logo"}) == []
