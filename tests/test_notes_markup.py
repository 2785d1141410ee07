"""The Markdown sanitizer: hostile input is rendered inert, with an explicit allowlist."""

import re

import pytest

from workshop.platform.markup import render_markdown, sanitize

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#58;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "<a href='file:///etc/passwd'>x</a>",
    "<img src=http://169.254.169.254/latest/meta-data/>",
    "![meta](http://169.254.169.254/latest/meta-data/)",
    "![local](file:///etc/passwd)",
    "![data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<img src=x onerror=alert(1)>",
    "<p onclick=alert(1)>hi</p>",
    "<div onmouseover='alert(1)'>hover</div>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<style>body{background:url(http://evil.example/)}</style>",
    "<p style='background:url(http://evil.example/)'>x</p>",
    "<iframe src='http://evil.example'></iframe>",
    "<object data='http://evil.example/x.swf'></object>",
    "<embed src='http://evil.example/x.swf'>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "<meta http-equiv='refresh' content='0;url=http://evil.example'>",
    "<base href='http://evil.example/'>",
    "<form action='http://evil.example'><input name=x></form>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<!-- <script>alert(1)</script> -->",
    "[x](http://ok.example \"title\" onclick=alert(1))",
    "<a href=\"http://ok.example\" onclick=\"alert(1)\">x</a>",
    "[x](/etc/passwd)",
    "[x](//evil.example/path)",
    "<video src=x onerror=alert(1)></video>",
    "<table background='http://evil.example/x'><tr><td>x</td></tr></table>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
]


def _tags(html: str) -> set[str]:
    return {m.lower() for m in re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", html)}


def _real_hrefs(html: str) -> list[str]:
    """href values of actual tags (escaped text such as &lt;a href=...&gt; is only text)."""
    return re.findall(r'<a\s[^>]*href="([^"]*)"', html)


def _attributes(html: str) -> set[str]:
    attrs = set()
    for tag in re.findall(r"<[a-zA-Z][^>]*>", html):
        attrs |= {a.lower() for a in re.findall(r"\s([a-zA-Z-]+)=", tag)}
    return attrs


def test_the_hostile_list_is_long_enough():
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_rendered_inert(source):
    html = render_markdown(source)
    assert _tags(html) <= {"p", "a", "code", "pre", "table", "tr", "td", "tbody"}, html
    assert _attributes(html) <= {"href", "rel", "title"}, html
    for href in _real_hrefs(html):
        assert href.startswith(("http://", "https://", "mailto:")), html
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", html, re.I), html
    assert not re.search(r"<[a-z][^>]*(javascript|vbscript|file|data):", html, re.I), html
    assert not re.search(r"<[a-z][^>]*\ssrc\s*=", html, re.I), html


@pytest.mark.parametrize("source", HOSTILE)
def test_sanitizer_alone_neutralizes_raw_html(source):
    """Even if the renderer let raw HTML through, the allowlist would hold."""
    html = sanitize(source)
    assert _tags(html) <= {"p", "a", "table", "tr", "td", "tbody"}, html
    assert _attributes(html) <= {"href", "rel", "title"}, html
    for href in _real_hrefs(html):
        assert href.startswith(("http://", "https://", "mailto:")), html


def test_ordinary_markdown_keeps_its_structure_and_links_get_nofollow():
    html = render_markdown(
        "## Heading\n\nSome **bold**, _em_ and `code`.\n\n- one\n- two\n\n1. first\n\n> quoted\n\n"
        "[site](https://example.org) and [mail](mailto:someone@example.org)"
    )
    for tag in ("<h2>", "<strong>", "<em>", "<code>", "<ul>", "<ol>", "<blockquote>"):
        assert tag in html
    assert '<a href="https://example.org" rel="nofollow noopener">site</a>' in html
    assert 'href="mailto:someone@example.org"' in html


def test_images_are_never_kept_even_with_a_safe_url():
    html = render_markdown("![chart](https://example.org/chart.png)")
    assert "<img" not in html


def test_accented_and_non_latin_text_survives():
    text = "Déclaration — Ελληνικά, Русский, العربية, 中文"
    assert text in render_markdown(text)
