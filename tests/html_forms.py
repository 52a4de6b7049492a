"""The POST forms of a page as a browser without JavaScript would send them."""

from html.parser import HTMLParser


class FormParser(HTMLParser):
    """The POST forms of a page: action, and the (name, value) pairs a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = {"action": attrs.get("action") or "", "fields": []}
            if method == "post":
                self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["fields"].append((name, ""))
        elif tag == "select" and name:
            self._select = name
            self._form["fields"].append((name, ""))
        elif tag == "option" and self._select and "selected" in attrs:
            self._form["fields"][-1] = (self._select, attrs.get("value") or "")
        elif tag == "button" and name:
            self._form["fields"].append((name, attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            # A browser drops the line break that follows the opening tag (Django writes one).
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value.removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)


def post_form(html: str, action: str) -> dict[str, str]:
    """The fields of the page's POST form with that ``action``, by name (one value each)."""
    parser = FormParser()
    parser.feed(html)
    (form,) = [form for form in parser.forms if form["action"] == action]
    return dict(form["fields"])
