import pytest
from django.core.management import call_command

from awards.enums import CycleStatus, Role
from awards.models import (
    AuditEntry,
    AwardingAuthority,
    AwardProgramme,
    Cycle,
    Organization,
    User,
)
from awards.validators import validate_credit_code

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot() -> dict:
    return {
        "authorities": AwardingAuthority.objects.count(),
        "programmes": sorted(AwardProgramme.objects.values_list("slug", flat=True)),
        "open_cycles": Cycle.objects.filter(status=CycleStatus.OPEN).count(),
        "organizations": Organization.objects.count(),
        "officials": User.objects.filter(role=Role.OFFICIAL).count(),
        "reviewers": User.objects.filter(role=Role.REVIEWER).count(),
        "applicants": User.objects.filter(role=Role.APPLICANT, is_superuser=False).count(),
        "superusers": User.objects.filter(is_superuser=True).count(),
        "audit": AuditEntry.objects.count(),
    }


def test_seed_demo_builds_the_three_awards_and_running_it_again_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    assert {key: value for key, value in first.items() if key != "audit"} == {
        "authorities": 3,
        "programmes": ["jinggang", "luyu", "sanxia"],
        "open_cycles": 3,
        "organizations": 15,
        "officials": 3,
        "reviewers": 12,
        "applicants": 15,
        "superusers": 1,
    }
    for code in Organization.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    official = User.objects.get(username="tianmen_official")
    assert official.check_password("Award-Demo-2026")
    assert official.authority.name == "天门市人民政府"
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_demo_organizations_lie_in_their_authoritys_jurisdiction():
    call_command("seed_demo", verbosity=0)
    applicants = User.objects.filter(role=Role.APPLICANT, is_superuser=False)
    for user in applicants.select_related("organization"):
        prefixes = [a.region_prefix for a in AwardingAuthority.objects.all()]
        assert any(user.organization.region_code.startswith(p) for p in prefixes)
