"""Console listings cost the same number of queries for 1 row as for 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.services.frameworks import copy_as_new_version
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    OrganizationFactory,
    ProgrammeFactory,
    ReviewerFactory,
    national_framework,
)

pytestmark = pytest.mark.django_db


def make_programmes(authority, n):
    for _ in range(n):
        ProgrammeFactory(authority=authority)


def make_cycles(authority, n):
    programme = ProgrammeFactory(authority=authority)
    for _ in range(n):
        CycleFactory(programme=programme)


def make_frameworks(authority, n):
    for index in range(n):
        copy_as_new_version(
            framework=national_framework(), version=f"v{index}", authority=authority, by=None
        )


def make_organizations(authority, n):
    for _ in range(n):
        OrganizationFactory(region_code=authority.region_code)


def make_people(authority, n):
    for index in range(n):
        if index % 2:
            ReviewerFactory(authority=authority)
        else:
            ApplicantFactory(organization__region_code=authority.region_code)


LISTINGS = [
    ("/admin/programmes/", make_programmes),
    ("/admin/cycles/", make_cycles),
    ("/admin/frameworks/", make_frameworks),
    ("/admin/organizations/", make_organizations),
    ("/admin/people/", make_people),
]


def queries_for(client, url, make, n) -> tuple[int, int]:
    authority = AuthorityFactory()
    official = OfficialFactory(authority=authority)
    make(authority, n)
    client.force_login(official)
    client.get(url)  # warm caches (content types, site root) outside the measurement
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(response.context["object_list"])


@pytest.mark.parametrize(("url", "make"), LISTINGS, ids=[url for url, _ in LISTINGS])
def test_listing_query_count_does_not_grow_with_rows(client, url, make):
    one, rows_one = queries_for(client, url, make, 1)
    client.logout()
    five, rows_five = queries_for(client, url, make, 5)
    assert rows_five - rows_one == 4
    assert five == one
