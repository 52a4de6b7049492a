"""Render and check message templates in a closed template engine.

The engine loads no files and no tag libraries (``{% include %}``, ``{% extends %}`` and
``{% load %}`` have nothing to reach), autoescape is off because mail and SMS are plain text
(the portal escapes when it shows a notice), and the context holds only strings and numbers, so a
template cannot reach into a model. What a user typed is only ever a value in that context.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

_ENGINE = Engine(dirs=[], app_dirs=False, libraries={}, debug=False, autoescape=False)
_MISSING = "\x00missing:%s\x00"
#: The same engine, except that a variable the context lacks leaves a mark instead of nothing.
_CHECKING = Engine(
    dirs=[], app_dirs=False, libraries={}, debug=False, autoescape=False, string_if_invalid=_MISSING
)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return str(value)


def render_text(source: str, context: dict[str, Any], *, engine: Engine = _ENGINE) -> str:
    template = engine.from_string(str(source))
    plain = {name: _plain(value) for name, value in context.items()}
    return template.render(Context(plain, autoescape=False))


def check_template(*, subject: str, body: str, sample: dict[str, Any]) -> None:
    """Refuse a template that does not render with the event's sample context."""
    errors: dict[str, str] = {}
    for name, source in (("subject", subject), ("body", body)):
        if not (source or "").strip():
            errors[name] = _("请填写内容。")
            continue
        try:
            text = render_text(source, sample, engine=_CHECKING)
        except TemplateSyntaxError as error:
            errors[name] = _("模板有误，无法生成消息：%(error)s") % {"error": error}
            continue
        except Exception as error:  # noqa: BLE001 (any failure is the template's)
            errors[name] = _("模板有误，无法生成消息：%(error)s") % {"error": error}
            continue
        unknown = sorted(set(re.findall("\x00missing:([^\x00]*)\x00", text)))
        if unknown:
            errors[name] = _("模板使用了该事件没有的变量：%(names)s。可用的变量：%(known)s。") % {
                "names": "、".join(unknown),
                "known": "、".join(sorted(sample)),
            }
            continue
        if name == "subject" and ("\n" in text.strip() or len(text) > 300):
            errors[name] = _("标题须为一行，且不超过 300 个字符。")
    if errors:
        raise ValidationError(errors)
