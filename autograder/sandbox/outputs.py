"""What a graded notebook's rich outputs may hold: nothing that runs in a reader's browser.

The autograded notebook and its feedback page are opened by the student and by the
instructor (in nbgrader's formgrader, on the instructor's own Jupyter server, where a script
could act as the instructor). So of each display, the grader keeps text, images as data and
HTML cleaned by bleach (the sanitizer nbconvert uses) to an allow-list of tags and
attributes: no script, no event handler, no style sheet, no frame or form, links only to
http(s) and images only as embedded data. JavaScript, SVG and Markdown outputs are dropped
(their plain-text form stays). A Markdown cell with other HTML in it shows it as text
(nbconvert's feedback page shows a raw cell as text already).
"""

import html
import re

import bleach
from bleach.css_sanitizer import CSSSanitizer

KEPT = ("text/plain", "text/latex", "image/png", "image/jpeg", "image/gif", "application/json")
TAGS = {
    *("a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del"),
    *("details", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img"),
    *("ins", "kbd", "li", "ol", "p", "pre", "s", "samp", "small", "span", "strong", "sub"),
    *("summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var"),
}
ATTRIBUTES = {
    "*": ["class", "style", "title", "align"],
    "a": ["href"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
EMBEDDED_IMAGE = re.compile(r"data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*\Z")
AUTOLINK = re.compile(r"<(https?|mailto):[^\s<>]*>")  # Markdown's <https://...>, not a tag
REMOVED = "[grading: this output would run code in the reader's browser; only its text is kept]"

_cleaners = {}


def allowed(tag, name, value):
    if name not in ATTRIBUTES.get(tag, ()) and name not in ATTRIBUTES["*"]:
        return False
    if tag == "img" and name == "src":
        return bool(EMBEDDED_IMAGE.match(value))
    return not (name == "href" and value.strip().lower().startswith("data:"))


def clean_html(text, strip=False):
    """The HTML with only allowed tags and attributes; anything else is shown as text (or
    removed, with strip)."""
    if strip not in _cleaners:
        _cleaners[strip] = bleach.Cleaner(
            tags=TAGS,
            attributes=allowed,
            protocols={"http", "https", "mailto", "data"},  # data: for embedded images only (allowed)
            css_sanitizer=CSSSanitizer(),
            strip=strip,
            strip_comments=True,
        )
    return _cleaners[strip].clean(text)


def safe_markdown(source):
    """A Markdown cell's source, unchanged when the HTML in it is all allowed; else with its
    HTML shown as text."""
    probe = AUTOLINK.sub("", source)
    if html.unescape(clean_html(probe, strip=True)) == html.unescape(probe):
        return source
    return clean_html(source)


def safe_data(data):
    """The MIME bundle of a display, as the grader keeps it."""
    kept = {mime: value for mime, value in data.items() if mime in KEPT}
    html = data.get("text/html")
    if html is not None:
        kept["text/html"] = clean_html("".join(html) if isinstance(html, list) else str(html))
    if len(kept) < len(data) and "text/plain" not in kept:
        kept["text/plain"] = REMOVED
    return kept
