import pytest
from django.core.exceptions import ValidationError

from awards.enums import ApplicationStatus, ItemKind
from awards.models import Application, CriteriaFramework
from awards.services.frameworks import check_editable, copy_as_new_version, structure_errors
from tests.admin_forms import framework_form_data
from tests.factories import ApplicantFactory, CycleFactory, OfficialFactory, national_framework

pytestmark = pytest.mark.django_db

EXPECTED_CATEGORIES = [
    ("4.1", "领导", 110),
    ("4.2", "战略", 90),
    ("4.3", "顾客与市场", 90),
    ("4.4", "资源", 130),
    ("4.5", "过程管理", 100),
    ("4.6", "测量、分析与改进", 80),
    ("4.7", "结果", 400),
]


def test_data_migration_loads_gbt_19580_2012_exactly():
    framework = national_framework()
    assert (framework.code, framework.version, framework.total_points) == (
        "GB/T 19580",
        "2012",
        1000,
    )
    assert [(c.code, c.name, c.points) for c in framework.categories.all()] == EXPECTED_CATEGORIES
    items = list(framework.items.all())
    assert len(items) == 23
    assert [(i.code, i.points) for i in items if i.category_code == "4.4"] == [
        ("4.4.1", 60),
        ("4.4.2", 15),
        ("4.4.3", 20),
        ("4.4.4", 15),
        ("4.4.5", 10),
        ("4.4.6", 10),
    ]
    assert {i.kind for i in items if i.category_code == "4.7"} == {ItemKind.RESULTS}
    assert {i.kind for i in items if i.category_code != "4.7"} == {ItemKind.PROCESS}
    assert sum(i.points for i in items if i.kind == ItemKind.PROCESS) == 600
    assert all(i.guidance for i in items)


def test_structure_errors_name_each_problem():
    assert (
        structure_errors(
            total_points=1000,
            categories=[("4.1", 110), ("4.7", 890)],
            items=[("4.1.1", 60), ("4.1.2", 50), ("4.7.1", 890)],
        )
        == []
    )
    assert structure_errors(
        total_points=900,
        categories=[("4.1", 110), ("4.7", 800)],
        items=[("4.1.1", 60), ("4.1.2", 40), ("4.7.1", 800), ("4.9.1", 5)],
    ) == [
        "条款 4.9.1 没有对应的类目 4.9。",
        "类目 4.1 的条款分值合计为 100，与类目分值 110 不符。",
        "评价准则总分应为 1000 分或 100 分，当前为 900 分。",
        "各类目分值合计为 910 分，与总分 900 分不符。",
    ]


def own_copy(official) -> CriteriaFramework:
    return copy_as_new_version(
        framework=national_framework(), version="2012-A", authority=official.authority, by=official
    )


def test_copy_as_new_version_copies_every_category_and_item():
    official = OfficialFactory()
    copy = own_copy(official)
    assert copy.categories.count() == 7
    assert [(i.code, i.points, i.kind) for i in copy.items.all()] == [
        (i.code, i.points, i.kind) for i in national_framework().items.all()
    ]
    with pytest.raises(ValidationError) as caught:
        copy_as_new_version(
            framework=national_framework(), version="2012-A", authority=official.authority, by=None
        )
    assert caught.value.message_dict == {"version": ["版本 2012-A 已存在。"]}


def test_admin_refuses_items_that_do_not_add_up_and_saves_nothing(client):
    official = OfficialFactory()
    framework = own_copy(official)
    client.force_login(official)
    response = client.post(
        f"/admin/frameworks/edit/{framework.pk}/",
        framework_form_data(framework, item_points={"4.1.1": 55}),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "类目 4.1 的条款分值合计为 115，与类目分值 110 不符。"
    ]
    assert framework.items.get(code="4.1.1").points == 50


def test_admin_refuses_a_total_other_than_1000(client):
    official = OfficialFactory()
    framework = own_copy(official)
    client.force_login(official)
    response = client.post(
        f"/admin/frameworks/edit/{framework.pk}/", framework_form_data(framework, total_points=900)
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "评价准则总分应为 1000 分或 100 分，当前为 900 分。",
        "各类目分值合计为 1000 分，与总分 900 分不符。",
    ]
    framework.refresh_from_db()
    assert framework.total_points == 1000


def test_admin_saves_a_consistent_change(client):
    official = OfficialFactory()
    framework = own_copy(official)
    client.force_login(official)
    response = client.post(
        f"/admin/frameworks/edit/{framework.pk}/",
        framework_form_data(framework, name="卓越绩效评价准则（本市版）"),
    )
    assert response.status_code == 302
    framework.refresh_from_db()
    assert framework.name == "卓越绩效评价准则（本市版）"


def test_framework_of_a_cycle_with_received_applications_cannot_be_edited(client):
    official = OfficialFactory()
    framework = own_copy(official)
    cycle = CycleFactory(programme__authority=official.authority, framework=framework)
    applicant = ApplicantFactory()
    Application.objects.create(
        cycle=cycle,
        organization=applicant.organization,
        created_by=applicant,
        status=ApplicationStatus.DRAFT,
    )
    assert framework.is_locked is False
    Application.objects.update(status=ApplicationStatus.SUBMITTED)
    assert framework.is_locked is True
    with pytest.raises(ValidationError):
        check_editable(framework)
    client.force_login(official)
    response = client.post(
        f"/admin/frameworks/edit/{framework.pk}/",
        framework_form_data(framework, name="改名"),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "该评价准则已被已受理申报的届次使用，不能修改；如需调整，请复制为新版本。"
    ]
    framework.refresh_from_db()
    assert framework.name == "卓越绩效评价准则"


def test_officials_cannot_edit_the_national_framework(client):
    official = OfficialFactory()
    client.force_login(official)
    framework = national_framework()
    assert client.get(f"/admin/frameworks/edit/{framework.pk}/").status_code == 404
    assert client.get(f"/admin/frameworks/inspect/{framework.pk}/").status_code == 200
