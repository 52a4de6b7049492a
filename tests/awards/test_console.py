import csv
import io

import openpyxl
import pytest
from django.core import mail

from awards.enums import Role
from awards.models import AuditEntry, Organization, User
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    OrganizationFactory,
    ProgrammeFactory,
    ReviewerFactory,
)
from tests.outbox import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_authorities():
    mine = AuthorityFactory(name="甲市人民政府", region_code="420500", region_prefix="4205")
    theirs = AuthorityFactory(name="乙省人民政府", region_code="360000", region_prefix="36")
    return mine, theirs


def listing_names(response) -> list[str]:
    return [str(obj) for obj in response.context["object_list"]]


def test_official_lists_only_their_own_authoritys_records(client, two_authorities):
    mine, theirs = two_authorities
    official = OfficialFactory(authority=mine)
    ProgrammeFactory(authority=mine, name="甲市质量奖")
    ProgrammeFactory(authority=theirs, name="乙省质量奖")
    OrganizationFactory(name="甲市企业", region_code="420502")
    OrganizationFactory(name="乙省企业", region_code="360100")
    ReviewerFactory(authority=mine, username="mine_reviewer")
    ReviewerFactory(authority=theirs, username="their_reviewer")
    ApplicantFactory(username="mine_applicant", organization__region_code="420503")
    ApplicantFactory(username="their_applicant", organization__region_code="360200")
    client.force_login(official)

    assert listing_names(client.get("/admin/programmes/")) == ["甲市质量奖"]
    applicant_org = User.objects.get(username="mine_applicant").organization.name
    assert sorted(listing_names(client.get("/admin/organizations/"))) == sorted(
        ["甲市企业", applicant_org]
    )
    people = client.get("/admin/people/").context["object_list"]
    assert sorted(p.username for p in people) == sorted(
        [official.username, "mine_reviewer", "mine_applicant"]
    )


def test_other_authoritys_records_are_404_for_every_object_view(client, two_authorities):
    mine, theirs = two_authorities
    official = OfficialFactory(authority=mine)
    other_cycle = CycleFactory(programme__authority=theirs)
    other_org = OrganizationFactory(region_code="360100")
    other_person = ReviewerFactory(authority=theirs)
    client.force_login(official)
    for url in [
        f"/admin/cycles/edit/{other_cycle.pk}/",
        f"/admin/cycles/inspect/{other_cycle.pk}/",
        f"/admin/cycles/history/{other_cycle.pk}/",
        f"/admin/cycles/{other_cycle.pk}/status/",
        f"/admin/programmes/edit/{other_cycle.programme_id}/",
        f"/admin/organizations/edit/{other_org.pk}/",
        f"/admin/people/edit/{other_person.pk}/",
    ]:
        assert (url, client.get(url).status_code) == (url, 404)


def test_csv_and_xlsx_exports_contain_only_own_rows(client, two_authorities):
    mine, theirs = two_authorities
    official = OfficialFactory(authority=mine)
    cycle = CycleFactory(programme__authority=mine, programme__name="甲市质量奖", edition=3)
    CycleFactory(programme__authority=theirs, programme__name="乙省质量奖", edition=4)
    client.force_login(official)

    response = client.get("/admin/cycles/?export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["奖项", "届次", "年度"]
    assert [row[:3] for row in rows[1:]] == [["甲市质量奖", "3", str(cycle.year)]]

    response = client.get("/admin/cycles/?export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in row][:3] for row in sheet.iter_rows()]
    assert values == [["奖项", "届次", "年度"], ["甲市质量奖", 3, cycle.year]]

    exports = AuditEntry.objects.filter(action="export_data").order_by("pk")
    assert [(e.actor_id, e.authority_id, e.target_type, e.details) for e in exports] == [
        (official.pk, mine.pk, "awards.awardingauthority", details)
        for details in (
            {"kind": "cycles", "format": "csv", "rows": 1, "filters": {}},
            {"kind": "cycles", "format": "xlsx", "rows": 1, "filters": {}},
        )
    ]


def test_exports_of_organizations_and_people_are_audited_with_their_filters(
    client, two_authorities
):
    mine, _theirs = two_authorities
    official = OfficialFactory(authority=mine)
    client.force_login(official)
    assert client.get("/admin/organizations/?export=csv").status_code == 200
    assert client.get("/admin/people/?export=xlsx&role=reviewer").status_code == 200
    exports = AuditEntry.objects.filter(action="export_data").order_by("pk")
    assert [(e.details["kind"], e.details["format"], e.details["filters"]) for e in exports] == [
        ("organizations", "csv", {}),
        ("people", "xlsx", {"role": "reviewer"}),
    ]


def test_cycle_filters_offer_only_own_programmes_and_filter_by_status(client, two_authorities):
    mine, theirs = two_authorities
    official = OfficialFactory(authority=mine)
    open_cycle = CycleFactory(programme__authority=mine, status="open")
    CycleFactory(programme=open_cycle.programme, status="draft")
    CycleFactory(programme__authority=theirs, programme__name="乙省质量奖")
    client.force_login(official)
    response = client.get("/admin/cycles/?status=open")
    assert list(response.context["object_list"]) == [open_cycle]
    choices = [label for _, label in response.context["filters"].form.fields["programme"].choices]
    assert choices == ["---------", open_cycle.programme.name]


def test_organization_search_by_name_and_credit_code(client, two_authorities):
    mine, _ = two_authorities
    official = OfficialFactory(authority=mine)
    target = OrganizationFactory(name="宜昌长江电力设备有限公司", region_code="420503")
    OrganizationFactory(name="宜昌柑橘集团", region_code="420506")
    client.force_login(official)
    assert list(client.get("/admin/organizations/?q=长江电力").context["object_list"]) == [target]
    assert list(
        client.get(f"/admin/organizations/?q={target.credit_code}").context["object_list"]
    ) == [target]


def test_official_creates_a_reviewer_who_is_invited_by_email(client, two_authorities):
    mine, theirs = two_authorities
    official = OfficialFactory(authority=mine)
    client.force_login(official)
    form = client.get("/admin/people/new/").context["form"]
    assert list(form.fields["authority"].queryset) == [mine]
    with delivered():
        response = client.post(
            "/admin/people/new/",
            {
                "username": "expert_wang",
                "full_name": "王专家",
                "email": "wang@example.com",
                "phone": "",
                "role": Role.REVIEWER,
                "authority": mine.pk,
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    reviewer = User.objects.get(username="expert_wang")
    assert (reviewer.role, reviewer.authority, reviewer.has_usable_password()) == (
        Role.REVIEWER,
        mine,
        False,
    )
    assert mail.outbox[0].to == ["wang@example.com"]
    assert mail.outbox[0].subject == "【政府质量奖门户】请设置您的账户密码"
    assert "/accounts/reset/" in mail.outbox[0].body


def test_official_cannot_create_people_for_another_authority(client, two_authorities):
    mine, theirs = two_authorities
    official = OfficialFactory(authority=mine)
    client.force_login(official)
    response = client.post(
        "/admin/people/new/",
        {
            "username": "intruder",
            "full_name": "外人",
            "email": "x@example.com",
            "role": Role.OFFICIAL,
            "authority": theirs.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["authority"] == [
        "选择一个有效的选项： 该选择不在可用的选项中。"
    ]
    assert not User.objects.filter(username="intruder").exists()


def test_organization_outside_the_jurisdiction_is_refused(client, two_authorities):
    mine, _ = two_authorities
    official = OfficialFactory(authority=mine)
    org = OrganizationFactory(region_code="420502")
    client.force_login(official)
    response = client.post(
        f"/admin/organizations/edit/{org.pk}/",
        {
            "name": org.name,
            "credit_code": org.credit_code,
            "region_code": "360100",
            "region_name": "南昌",
            "industry": "C",
            "size": "medium",
            "registration_date": "2010-05-01",
        },
    )
    assert response.context["form"].errors["region_code"] == [
        "所在地不在本授奖机关辖区内（辖区代码以 4205 开头）。"
    ]
    org.refresh_from_db()
    assert org.region_code == "420502"


def test_duplicate_credit_code_in_the_console_is_refused(client, two_authorities):
    mine, _ = two_authorities
    official = OfficialFactory(authority=mine)
    existing = OrganizationFactory(region_code="420502")
    client.force_login(official)
    response = client.post(
        "/admin/organizations/new/",
        {
            "name": "另一家公司",
            "credit_code": existing.credit_code,
            "region_code": "420502",
            "region_name": "宜昌",
            "industry": "C",
            "size": "small",
            "registration_date": "2012-01-01",
        },
    )
    assert response.context["form"].errors["credit_code"] == ["该统一社会信用代码已有单位注册。"]
    assert list(Organization.objects.values_list("name", flat=True)) == [existing.name]


def test_authorities_are_managed_by_platform_administrators_only(client, two_authorities):
    mine, _ = two_authorities
    client.force_login(OfficialFactory(authority=mine))
    assert client.get("/admin/authorities/").status_code == 302
    admin = User.objects.create_superuser("root", "root@example.com", "x-Password-2026")
    client.force_login(admin)
    response = client.get("/admin/authorities/")
    assert [a.name for a in response.context["object_list"]] == ["乙省人民政府", "甲市人民政府"]
