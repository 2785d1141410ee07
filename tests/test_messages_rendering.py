"""A composed message is rendered once and filled in per person (``placeholders.Prepared``):
what each person gets must be, byte for byte, what rendering their message on its own gives,
whatever their name. And the plain-text part reads as a letter, not as Markdown."""

import random

import pytest

from tests.support.hostile import HOSTILE
from workshop.messages import placeholders
from workshop.platform.markup import markdown_to_text

SHARED = {"workshop_title": "Early Warning (2031) *draft*", "dates": "2–3 June 2031",
          "venue": "Palais des Nations, Geneva"}
LINK = "http://workshop.test/registrations/Ab_c-9_Zq"

# The placeholders in every kind of place Markdown gives a meaning to.
BODIES = [
    "Dear {first_name},\n\nWe look forward to seeing you at **{venue}** on {dates}.\n\n"
    "- Bring your badge.\n- Check [your registration]({self_service_link}).\n\nOlga",
    "{first_name}\n{full_name}. {first_name}) {full_name}",
    "*{first_name}* _{full_name}_ **{full_name}**x a*{first_name}*b ~~{full_name}~~",
    "# {full_name}\n\n> {first_name} wrote\n\n1. {full_name}\n2. [{full_name}]({self_service_link})",
    "{full_name}\n===\n\n{first_name}\n---",
    "`{first_name}` and ```{full_name}```\n\n    {full_name} in code\n\n```\n{first_name}\n```",
    "[x](https://example.org/{first_name}) [y]({self_service_link} \"{full_name}\") <{self_service_link}>",
    "[{first_name}] and [{full_name}][] and [Ana]\n\n[Ana]: https://example.org/ana",
    "| a | {full_name} |\n|---|---|\n| {first_name} | b |",
    "Your link: {self_service_link} and again {self_service_link}.",
    "\\{first_name} {{full_name}} {unknown} {workshop_title}",
    "  {full_name}  \nline\t{first_name}\n\n\n\n{first_name}",
    "{self_service_link}",
    "{salutation}\n\nThank you, {first_name}.\n\n- {salutation} again",
    "*{salutation}* {salutation}{full_name}",
    "a*{salutation}*b and {salutation}",
]

NAMES = [
    "Ama Mensah", "Ana María Pérez-Núñez", "Fatima Al-Sayed", "فاطمة الزهراء", "חנה כהן", "王小明",
    "Ольга Иванова", "O'Brien", "Jean-Luc d'Alembert", "H.E. Ama Mensah", "Dr. Who", "12", "2024 Ana",
    "<b>Bo</b>", "Bo & Cy", "&amp; Bo", "{{ first_name }}", "{full_name}", "[Ana](http://evil.example)",
    "*Bo*", "**Bo**", "_Bo_", "Bo_Cy", "# Bo", "- Bo", "1. Bo", "> Bo", "Bo\\", "\\*Bo", "`Bo`",
    "Bo  Cy", " Bo", "Bo ", "Bo\u00a0Cy", "\u200fBo", "Bo\nCy", "Bo|Cy", "~~Bo~~", "http://x.example/a",
    "Ana (Dr.)", "Zq", "Éa", "ÅBo", "x", "", "Ana\u0301", "Bo Cy " * 20,
]
# Those a form can store (a lone surrogate is not text the database takes).
NAMES += [value for value in HOSTILE.values() if isinstance(value, str) and value.encode("utf-8", "replace").decode() == value]


def _values(name: str, link: str = LINK) -> dict:
    return {"first_name": placeholders.first_name(name), "full_name": name, "self_service_link": link,
            "salutation": f"Dear Ambassador {name}," if name else "Dear colleague,"}


def _random_names(count: int) -> list[str]:
    pool = "Aaé Zz09 .,;:!?*_`~#>+-=|()[]{}<>&\\/'\"@$%^\u00a0\u200fعב王\n\t"
    chooser = random.Random(20261201)
    return ["".join(chooser.choice(pool) for _ in range(chooser.randint(1, 12))) for _ in range(count)]


@pytest.mark.parametrize("body", BODIES)
def test_each_person_gets_what_rendering_their_message_alone_gives(body):
    subject = "About {workshop_title}, {first_name}"
    prepared = placeholders.Prepared(subject, body, SHARED)
    for name in NAMES + _random_names(200):
        for link in (LINK, "", "http://workshop.test/registrations/_ab"):
            values = _values(name, link)
            assert prepared.render(values) == placeholders.render(subject, body, {**SHARED, **values}), (name, link)


def test_ordinary_names_take_the_fast_way():
    """Otherwise the test above would prove nothing about it."""
    prepared = placeholders.Prepared("Hi {first_name}", BODIES[0] + "\n\nFor {full_name}", SHARED)
    assert prepared.usable
    for name in ("Ama Mensah", "Ana María Pérez-Núñez", "فاطمة الزهراء", "王小明", "O'Brien", "Bo & Cy", "Bo <b>&amp; Cy"):
        assert prepared.fits(_values(name)), name
    with_salutation = placeholders.Prepared("x", "{salutation}\n\nWelcome.", SHARED)
    assert with_salutation.usable
    for salutation in ("Dear Ambassador Okafor,", "Excellency,", "尊敬的王先生：", "عزيزي السفير،"):
        assert with_salutation.fits({**_values("Ana"), "salutation": salutation}), salutation
    for name in ("*Bo*", "Ana (Dr.)", "12", "Bo\u00a0Cy", ""):
        assert not prepared.fits(_values(name)), name


def test_a_placeholder_in_code_or_a_link_address_renders_each_person_alone():
    for body in (BODIES[5], BODIES[6], BODIES[7]):
        assert not placeholders.Prepared("x", body, SHARED).usable


def test_the_html_escapes_a_name_and_the_text_keeps_it_as_typed():
    prepared = placeholders.Prepared("x", "Dear {full_name},", SHARED)
    subject, text, html = prepared.render(_values("Bo <b>&amp; Cy"))
    assert text == "Dear Bo <b>&amp; Cy,"
    assert html == "<p>Dear Bo &lt;b&gt;&amp;amp; Cy,</p>\n"


# The plain-text part ----------------------------------------------------------------------------

def test_the_text_part_reads_as_a_letter():
    source = ("# Practical **details**\n\nDear *Ana*,\n\nWe meet at [the Palais](https://example.org/palais) on "
              "3 &amp; 4 June.\nBring your badge.  \nAnd a pen.\n\n- Coffee at 9\n- [Agenda](https://example.org/a)\n"
              "  1. first\n  2. second\n\n3. three\n4. four\n\n> Quoted *words*\n\n"
              "Mail [us](mailto:team@example.org) or visit <https://example.org/>.\n\n---\n\nOlga")
    assert markdown_to_text(source) == (
        "Practical details\n\n"
        "Dear Ana,\n\n"
        "We meet at the Palais (https://example.org/palais) on 3 & 4 June.\nBring your badge.\nAnd a pen.\n\n"
        "- Coffee at 9\n- Agenda (https://example.org/a)\n  1. first\n  2. second\n\n"
        "3. three\n4. four\n\n"
        "    Quoted words\n\n"
        "Mail us (team@example.org) or visit https://example.org/.\n\n"
        "* * *\n\n"
        "Olga")


def test_a_link_the_html_drops_keeps_only_its_words():
    assert markdown_to_text("[click](javascript:alert(1)) [here](/relative)") == \
        "[click](javascript:alert(1)) here"


def test_loose_list_items_stay_apart_and_code_is_indented():
    assert markdown_to_text("- one\n\n- two\n\n```\nx = 1\n```") == "- one\n\n- two\n\n    x = 1"
