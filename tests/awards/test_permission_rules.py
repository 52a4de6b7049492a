"""The role predicates, the scoping helper and the service guards of ``awards.permissions.rules``.

Every role meets every predicate; the scoping helper is checked with rows of two authorities, so
that a row which must not be seen exists and is not returned.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from awards.models import AwardingAuthority, Cycle
from awards.permissions.rules import (
    acts_for_authority,
    is_applicant,
    is_applicant_of,
    is_official,
    is_official_or_admin,
    is_platform_admin,
    is_reviewer,
    is_reviewer_of_authority,
    require_authority,
    require_platform_admin,
    scope_to_authority,
)
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    ReviewerFactory,
    UserFactory,
)

AUTHORITY_REFUSAL = "只有本授奖机关的工作人员可以执行此操作。"
PLATFORM_REFUSAL = "只有平台管理员可以执行此操作。"

PREDICATES = (is_platform_admin, is_official, is_official_or_admin, is_reviewer, is_applicant)


@pytest.fixture
def people(db):
    """Everyone the portal knows, of the "own" authority where they belong to one."""
    own = AuthorityFactory(name="天门市人民政府")
    other = AuthorityFactory(name="江西省人民政府")
    return {
        "own": own,
        "other": other,
        "anonymous": AnonymousUser(),
        "applicant": ApplicantFactory(username="applicant"),
        "reviewer": ReviewerFactory(username="reviewer", authority=own),
        "official": OfficialFactory(username="official", authority=own),
        "other_official": OfficialFactory(username="other-official", authority=other),
        "inactive_official": OfficialFactory(username="gone", authority=own, is_active=False),
        "superuser": UserFactory(username="admin", is_superuser=True),
        "inactive_superuser": UserFactory(username="old-admin", is_superuser=True, is_active=False),
    }


#: role → (platform admin, official, official or admin, reviewer, applicant)
EXPECTED_ROLES = {
    "anonymous": (False, False, False, False, False),
    "applicant": (False, False, False, False, True),
    "reviewer": (False, False, False, True, False),
    "official": (False, True, True, False, False),
    "other_official": (False, True, True, False, False),
    "inactive_official": (False, False, False, False, False),
    "superuser": (True, False, True, False, False),
    "inactive_superuser": (False, False, False, False, False),
}


def test_every_role_meets_each_predicate_as_declared(people):
    observed = {
        role: tuple(predicate(people[role]) for predicate in PREDICATES) for role in EXPECTED_ROLES
    }
    assert observed == EXPECTED_ROLES


def test_only_the_authoritys_officials_and_platform_admins_act_for_it(people):
    own = people["own"].pk
    observed = {role: acts_for_authority(people[role], own) for role in EXPECTED_ROLES}
    assert observed == {
        "anonymous": False,
        "applicant": False,
        "reviewer": False,
        "official": True,
        "other_official": False,
        "inactive_official": False,
        "superuser": True,
        "inactive_superuser": False,
    }
    assert acts_for_authority(people["official"], None) is False


def test_reviewers_and_applicants_belong_to_their_own_authority_or_organization(people):
    reviewer, applicant = people["reviewer"], people["applicant"]
    assert is_reviewer_of_authority(reviewer, people["own"].pk) is True
    assert is_reviewer_of_authority(reviewer, people["other"].pk) is False
    assert is_reviewer_of_authority(people["official"], people["own"].pk) is False
    assert is_applicant_of(applicant, applicant.organization_id) is True
    assert is_applicant_of(applicant, ApplicantFactory().organization_id) is False
    assert is_applicant_of(people["official"], None) is False


def test_the_scope_gives_platform_admins_all_officials_their_own_and_anyone_else_nothing(people):
    own_cycle = CycleFactory(programme__authority=people["own"])
    other_cycle = CycleFactory(programme__authority=people["other"])
    cycles = Cycle.objects.order_by("pk")
    observed = {
        role: list(scope_to_authority(cycles, people[role], "programme__authority"))
        for role in EXPECTED_ROLES
    }
    assert observed == {
        "anonymous": [],
        "applicant": [],
        "reviewer": [],
        "official": [own_cycle],
        "other_official": [other_cycle],
        "inactive_official": [],
        "superuser": [own_cycle, other_cycle],
        "inactive_superuser": [],
    }


def test_the_scope_of_authorities_themselves_is_the_primary_key(people):
    authorities = AwardingAuthority.objects.order_by("pk")
    assert list(scope_to_authority(authorities, people["official"], "pk")) == [people["own"]]
    assert list(scope_to_authority(authorities, people["superuser"], "pk")) == [
        people["own"],
        people["other"],
    ]
    assert list(scope_to_authority(authorities, people["reviewer"], "pk")) == []


@pytest.mark.parametrize(
    "role", ["anonymous", "applicant", "reviewer", "other_official", "inactive_official"]
)
def test_the_authority_guard_refuses_anyone_who_does_not_act_for_it(people, role):
    with pytest.raises(PermissionDenied) as refused:
        require_authority(people[role], people["own"].pk)
    assert str(refused.value) == AUTHORITY_REFUSAL


@pytest.mark.parametrize("role", ["official", "superuser"])
def test_the_authority_guard_lets_its_officials_and_platform_admins_through(people, role):
    assert require_authority(people[role], people["own"].pk) is None


def test_the_portal_itself_passes_both_guards(people):
    assert require_authority(None, people["own"].pk) is None
    assert require_platform_admin(None) is None


@pytest.mark.parametrize("role", ["official", "reviewer", "anonymous", "inactive_superuser"])
def test_platform_data_is_refused_to_everyone_but_platform_admins(people, role):
    with pytest.raises(PermissionDenied) as refused:
        require_platform_admin(people[role])
    assert str(refused.value) == PLATFORM_REFUSAL
    assert require_platform_admin(people["superuser"]) is None


def test_the_refusals_are_translated(people, settings):
    from django.utils import translation

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        require_authority(people["other_official"], people["own"].pk)
    assert str(refused.value) == "Only staff of this awarding authority can perform this action."
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        require_platform_admin(people["official"])
    assert str(refused.value) == "Only platform administrators can perform this action."
