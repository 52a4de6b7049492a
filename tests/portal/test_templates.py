"""House rules for templates/, checked over every file: styles and scripts live in static files,
and templates compare enum members (given by portal/context_processors.py), not literal
strings."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import RequestContext, Template
from django.test import RequestFactory

from awards.enums import ApplicationStatus
from portal.context_processors import template_enums
from scoring.enums import ScoringState
from scoring.publication.services.period import NoticePhase

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STATIC = Path(settings.BASE_DIR) / "static"


#: Comparisons with a string literal that are not about an enum: form field names, the stage
#: navigation's own keys and a heading block's level.
NON_ENUM_LITERAL_COMPARISONS = {
    ("blocks/heading.html", "value.level"),
    ("home/results_notice_page.html", "field.name"),
    ("scoring/admin/_stage_nav.html", "active"),
    ("scoring/reviewer/consensus.html", "field.name"),
    ("scoring/defence/_rounds.html", "audience"),
}

LITERAL_COMPARISON = re.compile(r"([\w.]+)\s*(?:==|!=)\s*[\"']")
TAG = re.compile(r"{%.*?%}", re.S)
STATIC_TAG = re.compile(r"{%\s*static\s+[\"']([^\"']+)[\"']\s*%}")
RELATIVE_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(css/[^"{]+)">')


def templates() -> dict[str, str]:
    return {
        path.relative_to(TEMPLATES).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file()
    }


def test_page_styles_live_in_static_files_not_in_style_blocks():
    assert [name for name, text in templates().items() if "<style" in text] == []


def test_no_template_carries_an_inline_script():
    inline = [
        (name, tag)
        for name, text in templates().items()
        for tag in re.findall(r"<script\b[^>]*>", text)
        if " src=" not in tag
    ]
    assert inline == []


def test_every_static_file_a_template_links_exists():
    linked = {
        (name, path) for name, text in templates().items() for path in STATIC_TAG.findall(text)
    }
    # PDF templates link their stylesheet relative to WeasyPrint's base URL, the static dir.
    linked |= {
        (name, path)
        for name, text in templates().items()
        if name.startswith("pdf/")
        for path in RELATIVE_STYLESHEET.findall(text)
    }
    assert {(name, path) for name, path in linked if not (STATIC / path).is_file()} == set()
    assert ("pdf/certificate.html", "css/pdf/certificate.css") in linked


def test_templates_compare_enum_members_not_literal_strings():
    compared = {
        (name, subject)
        for name, text in templates().items()
        for tag in TAG.findall(text)
        for subject in LITERAL_COMPARISON.findall(tag)
    }
    assert compared == NON_ENUM_LITERAL_COMPARISONS


def test_every_enum_member_a_template_names_exists():
    enums = template_enums()
    named = re.compile(r"\b(" + "|".join(enums) + r")\.(\w+)")
    used = {
        (name, enum, member)
        for name, text in templates().items()
        for tag in re.findall(r"{%.*?%}|{{.*?}}", text, re.S)
        for enum, member in named.findall(tag)
    }
    assert {(name, enum, member) for name, enum, member in used if member not in enums[enum]} == (
        set()
    )
    assert ("scoring/reviewer/workspace.html", "ScoringState", "STARTED") in used


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (NoticePhase.OPEN, "公示中"),
        ("open", "公示中"),
        (NoticePhase.UPCOMING, "其他"),
        ("", "其他"),
    ],
)
def test_a_template_compares_against_an_enum_member(value, shown):
    request = RequestFactory().get("/")
    template = Template("{% if phase == NoticePhase.OPEN %}公示中{% else %}其他{% endif %}")
    assert template.render(RequestContext(request, {"phase": value})) == shown


def test_the_enums_are_given_as_their_members_by_name():
    enums = template_enums()
    assert enums["ScoringState"] == {
        "NOT_STARTED": ScoringState.NOT_STARTED,
        "STARTED": ScoringState.STARTED,
        "SUBMITTED": ScoringState.SUBMITTED,
    }
    assert enums["ApplicationStatus"]["RETURNED"] is ApplicationStatus.RETURNED
    assert sorted(enums) == [
        "ApplicationStatus",
        "Availability",
        "CycleStatus",
        "DeliveryStatus",
        "ItemKind",
        "NoticePhase",
        "RecommendationStatus",
        "ResultsMethod",
        "ScorecardStatus",
        "ScoringState",
        "StageKind",
        "Track",
        "VerificationStatus",
    ]
