"""The officials' conflicts page and audit entries page of a cycle: content, filters, exports."""

import csv
import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from awards.audit_actions import AuditAction
from awards.models import AuditEntry
from awards.services.audit import record
from scoring.enums import ConflictRelation, StageKind
from scoring.review.models import ConflictDeclaration, ConflictOverride, Panel
from scoring.review.services.conflicts import override_conflict
from scoring.review.services.recusal import recuse
from tests import clock
from tests.factories import CycleFactory, OfficialFactory
from tests.scoring.factories import (
    AssignmentFactory,
    EligibleApplicationFactory,
    ReviewerProfileFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

pytestmark = pytest.mark.django_db


def moment(days: int, hour: int):
    return clock.at(clock.days_from_today(days), hour)


def shown(days: int, hour: int) -> str:
    return f"{clock.days_from_today(days):%Y-%m-%d} {hour:02d}:00"


@pytest.fixture
def world():
    """甲公司: 专家安 works there (detected) and was waived for the document review.
    乙公司: 专家鲍 declared a consultancy tie; @丙 recused from its document panel."""
    cycle = CycleFactory()
    authority = cycle.programme.authority
    official = OfficialFactory(authority=authority, full_name="王处长")
    document = ReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1)
    onsite = ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2)
    jia, yi = (EligibleApplicationFactory(cycle=cycle) for _name in "甲乙")
    for application, name in ((jia, "甲公司"), (yi, "乙公司")):
        application.organization.name = name
        application.organization.save()
    ann = ReviewerProfileFactory(
        user__authority=authority,
        user__full_name="专家安",
        employer_credit_code=jia.organization.credit_code,
    ).user
    bob = ReviewerProfileFactory(user__authority=authority, user__full_name="专家鲍").user
    cat = ReviewerProfileFactory(user__authority=authority, user__full_name="@丙").user

    record(
        actor=official,
        action=AuditAction.CHANGE_CYCLE_STATUS,
        target=cycle,
        **{"from": "screening", "to": "review"},
    )
    declaration = ConflictDeclaration.objects.create(
        cycle=cycle,
        reviewer=bob,
        organization=yi.organization,
        relation=ConflictRelation.CONSULTANCY,
        note="2024 年咨询",
    )
    override = override_conflict(
        application=jia, reviewer=ann, stage=document, reason="=离职已满八年", by=official
    )
    yi_panel = Panel.objects.create(stage=document, application=yi)
    recused = AssignmentFactory(panel=yi_panel, reviewer=cat)
    recuse(assignment=recused, reason="近亲属任职", by=cat)
    scorecard = submitted_scorecard(AssignmentFactory(panel=yi_panel), 60)
    record(actor=official, action=AuditAction.REOPEN_SCORECARD, target=scorecard, reason="补评语")

    # Another cycle's entry never shows.
    other = CycleFactory(programme=cycle.programme)
    record(actor=official, action=AuditAction.CHANGE_CYCLE_STATUS, target=other)

    ConflictDeclaration.objects.filter(pk=declaration.pk).update(declared_at=moment(-10, 10))
    ConflictOverride.objects.filter(pk=override.pk).update(decided_at=moment(-3, 15))
    times = {
        "change_cycle_status": moment(-20, 10),
        "override_conflict": moment(-3, 15),
        "reopen_scorecard": moment(-2, 11),
        "recuse": moment(-1, 9),
    }
    for action, at in times.items():
        AuditEntry._base_manager.filter(action=action).update(created_at=at)
    return SimpleNamespace(
        cycle=cycle,
        official=official,
        document=document,
        onsite=onsite,
        ann=ann,
        bob=bob,
        cat=cat,
        jia=jia,
        yi=yi,
        scorecard=scorecard,
        recused=recused,
    )


DECLARED = [
    "专家申报",
    "各阶段",
    "专家鲍",
    "乙公司",
    "提供过咨询服务（2024 年咨询）",
    "",
    shown(-10, 10),
]
DETECTED = ["系统检测", "各阶段", "专家安", "甲公司", "申报单位是该专家的现任职单位", "", ""]
WAIVED = ["豁免", "资料评审", "专家安", "甲公司", "=离职已满八年", "王处长", shown(-3, 15)]
RECUSED = ["回避", "资料评审", "@丙", "乙公司", "近亲属任职", "", shown(-1, 9)]
CONFLICT_HEADER = [
    "类别",
    "评审阶段",
    "评审专家",
    "申报单位",
    "说明或理由",
    "决定人",
    "时间（北京时间）",
]


def page_rows(response, marker: str) -> list[list[str]]:
    """The cells of the listing's body rows carrying ``data-<marker>``."""
    import re

    html = response.content.decode()
    body = html.split(f"data-{marker}>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr data-[a-z]+=\"[^\"]*\">(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in rows]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in cells]


def unescape(rows):
    import html

    return [[html.unescape(cell) for cell in row] for row in rows]


def conflicts(client, world, **query):
    client.force_login(world.official)
    response = client.get(f"/admin/review/cycles/{world.cycle.pk}/conflicts/", query)
    assert response.status_code == 200
    return unescape(page_rows(response, "conflicts"))


def test_the_conflicts_page_lists_declared_detected_waived_and_recused(client, world):
    assert conflicts(client, world) == [DECLARED, DETECTED, WAIVED, RECUSED]


def test_the_conflicts_filters(client, world):
    # Declared and detected ties hold in every stage; waivers and recusals in theirs.
    assert conflicts(client, world, stage=world.onsite.pk) == [DECLARED, DETECTED]
    assert conflicts(client, world, stage=world.document.pk) == [
        DECLARED,
        DETECTED,
        WAIVED,
        RECUSED,
    ]
    assert conflicts(client, world, reviewer=world.ann.pk) == [DETECTED, WAIVED]
    assert conflicts(client, world, kind="waived") == [WAIVED]
    assert conflicts(client, world, kind="recused", reviewer=world.ann.pk) == []
    since = {"date_from": clock.days_from_today(-4).isoformat()}
    assert conflicts(client, world, **since) == [WAIVED, RECUSED]
    assert conflicts(
        client,
        world,
        date_from=clock.days_from_today(-10).isoformat(),
        date_to=clock.days_from_today(-3).isoformat(),
    ) == [DECLARED, WAIVED]


def test_bad_filters_are_explained_and_filter_nothing(client, world):
    client.force_login(world.official)
    url = f"/admin/review/cycles/{world.cycle.pk}/conflicts/"
    response = client.get(
        url,
        {
            "stage": "abc",
            "kind": "bribe",
            "date_from": clock.days_from_today(-1).isoformat(),
            "date_to": clock.days_from_today(-5).isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "起始日期不能晚于截止日期。" in page
    assert unescape(page_rows(response, "conflicts")) == [DECLARED, DETECTED, WAIVED, RECUSED]


def test_the_conflicts_exports_hold_the_filtered_rows_with_safe_cells(client, world):
    client.force_login(world.official)
    base = f"/admin/review/cycles/{world.cycle.pk}/conflicts"
    response = client.get(f"{base}.csv", {"reviewer": world.ann.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"conflicts-cycle{world.cycle.pk}.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    safe_waived = [*WAIVED[:4], "'=离职已满八年", *WAIVED[5:]]
    assert list(csv.reader(io.StringIO(text[1:]))) == [CONFLICT_HEADER, DETECTED, safe_waived]

    response = client.get(f"{base}.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [["" if value is None else value for value in row] for row in sheet.values]
    safe_recused = [RECUSED[0], RECUSED[1], "'@丙", *RECUSED[3:]]
    assert rows == [CONFLICT_HEADER, DECLARED, DETECTED, safe_waived, safe_recused]


AUDIT_HEADER = ["时间（北京时间）", "操作人", "操作", "对象类型", "对象编号", "对象", "详情"]


@pytest.fixture
def audit_lines(world):
    jia_label = str(world.jia)
    return {
        "recuse": [
            shown(-1, 9),
            "@丙",
            "评审专家回避",
            "scoring.assignment",
            str(world.recused.pk),
            str(world.recused),
            '{"reason": "近亲属任职"}',
        ],
        "reopen_scorecard": [
            shown(-2, 11),
            "王处长",
            "退回评分表",
            "scoring.scorecard",
            str(world.scorecard.pk),
            str(world.scorecard),
            '{"reason": "补评语"}',
        ],
        "override_conflict": [
            shown(-3, 15),
            "王处长",
            "豁免利益冲突",
            "awards.application",
            str(world.jia.pk),
            jia_label,
            '{"conflicts": ["申报单位是该专家的现任职单位"], "reason": "=离职已满八年", '
            f'"replaced": false, "reviewer": "{world.ann.username}", "stage": "document"}}',
        ],
        "change_cycle_status": [
            shown(-20, 10),
            "王处长",
            "变更届次状态",
            "awards.cycle",
            str(world.cycle.pk),
            str(world.cycle),
            '{"from": "screening", "to": "review"}',
        ],
    }


def audit_page(client, world, **query):
    client.force_login(world.official)
    response = client.get(f"/admin/review/cycles/{world.cycle.pk}/audit/", query)
    assert response.status_code == 200
    return [[row[0], row[1], row[2]] for row in unescape(page_rows(response, "audit"))]


def short(line):
    return [line[0], line[1], line[2]]


def test_the_audit_page_lists_the_cycles_entries_newest_first(client, world, audit_lines):
    order = ["recuse", "reopen_scorecard", "override_conflict", "change_cycle_status"]
    assert audit_page(client, world) == [short(audit_lines[action]) for action in order]


def test_the_audit_filters(client, world, audit_lines):
    assert audit_page(client, world, action="recuse") == [short(audit_lines["recuse"])]
    assert audit_page(client, world, actor=world.cat.pk) == [short(audit_lines["recuse"])]
    assert audit_page(
        client,
        world,
        date_from=clock.days_from_today(-3).isoformat(),
        date_to=clock.days_from_today(-2).isoformat(),
    ) == [short(audit_lines["reopen_scorecard"]), short(audit_lines["override_conflict"])]
    assert audit_page(client, world, action="announce_results") == []


def test_the_audit_exports_hold_the_exact_filtered_rows(client, world, audit_lines):
    client.force_login(world.official)
    base = f"/admin/review/cycles/{world.cycle.pk}/audit"
    response = client.get(f"{base}.csv", {"actor": world.official.pk})
    assert f"audit-cycle{world.cycle.pk}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    assert rows == [
        AUDIT_HEADER,
        audit_lines["reopen_scorecard"],
        audit_lines["override_conflict"],
        audit_lines["change_cycle_status"],
    ]

    response = client.get(f"{base}.xlsx", {"action": "recuse"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    safe = [*audit_lines["recuse"]]
    safe[1] = "'@丙"
    safe[5] = "'" + safe[5]  # the assignment's label starts with the reviewer's name
    assert [list(row) for row in sheet.values] == [AUDIT_HEADER, safe]


def test_another_authoritys_official_gets_404(client, world):
    client.force_login(OfficialFactory())
    for suffix in ("conflicts/", "conflicts.csv", "conflicts.xlsx", "audit/", "audit.csv"):
        response = client.get(f"/admin/review/cycles/{world.cycle.pk}/{suffix}")
        assert response.status_code == 404, suffix


def test_the_cycle_pages_link_to_both(client, world):
    client.force_login(world.official)
    for url in (
        "/admin/review/",
        f"/admin/review/cycles/{world.cycle.pk}/stages/",
        f"/admin/review/stages/{world.document.pk}/progress/",
    ):
        page = client.get(url).content.decode()
        assert f'href="/admin/review/cycles/{world.cycle.pk}/conflicts/"' in page, url
        assert f'href="/admin/review/cycles/{world.cycle.pk}/audit/"' in page, url
