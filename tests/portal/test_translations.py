"""English is complete: every message of the catalogue is translated and none is fuzzy."""

import re
from pathlib import Path

from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries() -> list[dict]:
    found = []
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        fields, field = {}, None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                field = match.group(1)
                fields[field] = match.group(2)
            elif line.startswith('"') and field:
                fields[field] += line[1:-1]
        if fields.get("msgid"):
            fields["fuzzy"] = fuzzy
            found.append(fields)
    return found


def test_every_message_has_an_english_translation_and_none_is_fuzzy():
    catalogue = entries()
    assert len(catalogue) > 1000
    untranslated = [e["msgid"] for e in catalogue if not (e.get("msgstr") or e.get("msgstr[0]"))]
    fuzzy = [e["msgid"] for e in catalogue if e["fuzzy"]]
    assert (untranslated, fuzzy) == ([], [])


def test_the_compiled_catalogue_is_used():
    with translation.override("en"):
        assert translation.gettext("政府质量奖门户") == "Government Quality Award Portal"
