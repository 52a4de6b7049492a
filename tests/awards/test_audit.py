"""The audit log's vocabulary: one enum of actions, refused when unknown, used by every call."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from awards.audit_actions import AuditAction
from awards.enums import Role
from awards.models import AuditEntry
from awards.services.audit import record
from awards.services.people import create_staff_account
from tests.factories import AuthorityFactory, CycleFactory, OfficialFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("awards", "scoring", "home")


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_record_stores_the_member_value_with_its_label():
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority)
    entry = record(actor=official, action=AuditAction.CREATE_CYCLE, target=cycle, note="x")
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.target_type, stored.details) == (
        "create_cycle",
        "awards.cycle",
        {"note": "x"},
    )
    assert stored.get_action_display() == "创建届次"
    with translation.override("en"):
        assert stored.get_action_display() == "Create cycle"


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["create_cyle", "create_cycle", ""])
def test_record_refuses_anything_but_a_member_and_writes_nothing(action):
    cycle = CycleFactory()
    with pytest.raises(ValueError) as error:
        record(actor=None, action=action, target=cycle)
    assert str(error.value) == (
        f"unknown audit action {action!r}: pass a member of awards.audit_actions.AuditAction"
    )
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "action"),
    [(Role.REVIEWER, "create_reviewer"), (Role.OFFICIAL, "create_official")],
)
def test_staff_accounts_keep_their_stored_action_names(role, action):
    authority = AuthorityFactory()
    create_staff_account(
        authority=authority,
        username=f"new-{role}",
        full_name="新账户",
        email=f"{role}@example.com",
        role=role,
        password=None,
        by=None,
    )
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [action]


def test_every_recorded_action_is_a_declared_member_and_every_member_is_recorded():
    """A misspelt member would only fail when its code path runs; an unused one is noise in the
    admin's filter. Both are caught here, for every module of the apps."""
    bare_strings, referenced = [], set()
    for path, tree in _sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "AuditAction"
                and node.attr.isupper()
            ):
                referenced.add(node.attr)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record":
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(
                        keyword.value, ast.Constant | ast.JoinedStr
                    ):
                        bare_strings.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bare_strings == []
    assert sorted(referenced - set(AuditAction.names)) == []
    assert sorted(set(AuditAction.names) - referenced) == []


def test_stored_values_are_snake_case_names_that_fit_the_column():
    values = AuditAction.values
    assert [v for v in values if not (v.replace("_", "").isalpha() and v.islower())] == []
    assert max(len(v) for v in values) <= AuditEntry._meta.get_field("action").max_length
    assert AuditEntry._meta.get_field("action").choices == AuditAction.choices
