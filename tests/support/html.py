"""Reading pages as a browser does, with the standard library's HTML parser.

``nested_forms`` finds a <form> opened inside another: the browser drops the inner one, so its
buttons submit the outer form instead. ``forms_of`` gives each form with the controls a browser
would give it, owners chosen much as the HTML parser chooses them (a ``form="id"`` attribute
first, else the form open when the control was parsed; a nested form's start tag is ignored).
``paragraphs`` counts what a page renders as paragraphs.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

CONTROLS = {"input", "button", "select", "textarea"}


class _NestingCheck(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "form":
            return
        if self.depth:
            line, _ = self.getpos()
            self.problems.append(f"line {line}: <form {dict(attrs)}> inside another form")
        self.depth += 1

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth -= 1


def nested_forms(html: str) -> list[str]:
    parser = _NestingCheck()
    parser.feed(html)
    parser.close()
    return parser.problems


@dataclass
class Control:
    tag: str
    attrs: dict
    text: str = ""  # a button's label, a textarea's content


@dataclass
class Form:
    attrs: dict
    controls: list[Control] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.attrs.get("action") or ""

    @property
    def method(self) -> str:
        return (self.attrs.get("method") or "get").upper()

    def submit_with(self, button: Control) -> tuple[str, str, dict]:
        """(method, action, fields) of submitting this form with ``button``, as a browser would."""
        data: dict[str, list[str]] = {}
        for control in self.controls:
            name, kind = control.attrs.get("name"), (control.attrs.get("type") or "").lower()
            if not name or "disabled" in control.attrs:
                continue
            if control.tag == "button" or kind in ("submit", "image", "reset", "button"):
                if control is button:
                    data.setdefault(name, []).append(control.attrs.get("value", ""))
                continue
            if kind in ("checkbox", "radio") and "checked" not in control.attrs:
                continue
            value = control.text if control.tag == "textarea" else control.attrs.get("value", "")
            data.setdefault(name, []).append(value)
        method = (button.attrs.get("formmethod") or self.method).upper()
        action = button.attrs.get("formaction") or self.action
        return method, action, data


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}
        self.pointer: Form | None = None  # the form element pointer of the HTML parser
        self.open_forms: list[Form] = []  # form elements still open in the document
        self.ignored = 0  # nested form start tags dropped, whose end tags are still to come
        self.pending: list[tuple[str, Control]] = []  # controls naming a form by id
        self.open_text: Control | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if self.pointer is not None:
                self.ignored += 1  # a browser ignores a form start tag while a form is open
                return
            self.pointer = Form(attrs)
            self.forms.append(self.pointer)
            self.open_forms.append(self.pointer)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = self.pointer
        elif tag in CONTROLS:
            control = Control(tag, attrs)
            if attrs.get("form"):
                self.pending.append((attrs["form"], control))
            elif self.pointer is not None or self.open_forms:
                # After a stray end tag the pointer is gone, but the outer form is still an
                # ancestor, and a control inside it still belongs to it.
                (self.pointer or self.open_forms[-1]).controls.append(control)
            if tag in ("button", "textarea"):
                self.open_text = control

    def handle_data(self, data):
        if self.open_text is not None:
            self.open_text.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            # The end tag of a dropped nested form clears the pointer; the outer form stays open
            # (it is out of scope from the table cell the nested form sat in).
            self.pointer = None
            if self.ignored:
                self.ignored -= 1
            elif self.open_forms:
                self.open_forms.pop()
        elif self.open_text is not None and tag == self.open_text.tag:
            self.open_text.text = self.open_text.text.strip() if tag == "button" else self.open_text.text
            self.open_text = None


def forms_of(html: str) -> list[Form]:
    parser = _FormReader()
    parser.feed(html)
    parser.close()
    for form_id, control in parser.pending:
        if form_id in parser.by_id:
            parser.by_id[form_id].controls.append(control)
    return parser.forms


def button_labelled(html: str, label: str) -> list[tuple[Form, Control]]:
    """Every submit button reading ``label``, with the form a browser would submit."""
    return [(form, control) for form in forms_of(html) for control in form.controls
            if control.tag == "button" and control.text == label]


class _Paragraphs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.current = []

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)

    def handle_endtag(self, tag):
        if tag == "p" and self.current is not None:
            self.found.append(" ".join("".join(self.current).split()))
            self.current = None


def paragraphs(html: str) -> list[str]:
    """The text of each <p> of the page, its white space collapsed as a browser shows it."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    return parser.found
