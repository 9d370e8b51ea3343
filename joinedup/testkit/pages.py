"""Reading a page as a person (or a browser submitting its form) would: for tests, since pages are
Jinja2 templates and a test reads what the page shows, not the view's context."""

from __future__ import annotations

import html
from html.parser import HTMLParser


class _Fields(HTMLParser):
    """The values of a page's form fields, as a browser would submit them (for tests: pages are
    Jinja2 templates, so a test reads what the page shows, not the view's context)."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, list[str]] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            self.inputs.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "select":
            self._select = a.get("name")
            self.options.setdefault(self._select or "", [])
        elif tag == "option" and self._select is not None:
            self.options[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _fields(response) -> _Fields:
    parser = _Fields()
    parser.feed(response.content.decode())
    return parser


def page_text(response) -> str:
    """The page's markup with its character references decoded, so that a name such as O'Brien
    (which the templates write as ``O&#39;Brien``) can be looked for as a person would read it."""
    return html.unescape(response.content.decode())


def input_value(response, name: str) -> str:
    """The value of the page's one input called `name` (hidden fields included)."""
    values = _fields(response).inputs.get(name, [])
    assert len(values) == 1, f"{len(values)} inputs called {name!r} on the page"
    return values[0]


def select_options(response, name: str) -> list[str]:
    """The option values of the page's select called `name`, in order ("" for a blank choice)."""
    options = _fields(response).options
    assert name in options, f"no select called {name!r} on the page"
    return options[name]
