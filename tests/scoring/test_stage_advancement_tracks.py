"""Advancement (晋级) ranks organizations and individual candidates apart, each on its own
framework's scale and under its own track's rule; the page lists the tracks separately.

Every reviewer gives one percentage to every item, so an organization's document total is
10 × the percentage (GB/T 19580, 1000 points) and a candidate's is the percentage itself (the
individual framework, 100 points):

==========  =========  ======  =====
organizations          individuals
=====================  ===============
甲公司 70 → 700.00     张一 90 → 90.00
乙公司 60 → 600.00     王二 80 → 80.00
丙公司 50 → 500.00     赵三 40 → 40.00
=====================  ===============

Ranked together, every organization would be above every candidate.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from awards.enums import Track
from awards.models import AuditEntry
from scoring.enums import ConsensusStatus, StageKind
from scoring.review.models import Consensus, ConsensusItem, Panel
from scoring.review.services.stage_list import save_stages
from scoring.review.services.stages import (
    advancement_by_track,
    advancement_outcomes,
    advancement_rule,
    apply_advancement,
)
from tests.factories import ApplicantFactory, CycleFactory, OfficialFactory, ReviewerFactory
from tests.individual_world import individual_application, with_individual_track
from tests.scoring.factories import (
    AssignmentFactory,
    EligibleApplicationFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

pytestmark = pytest.mark.django_db

ORGANIZATIONS = {"甲公司": 70, "乙公司": 60, "丙公司": 50}
PEOPLE = {"张一": 90, "王二": 80, "赵三": 40}


def _score(stage, application, percent, reviewers):
    panel = Panel.objects.create(stage=stage, application=application)
    for reviewer in reviewers:
        submitted_scorecard(AssignmentFactory(panel=panel, reviewer=reviewer), percent)
    return panel


@pytest.fixture
def world():
    cycle = with_individual_track(CycleFactory())
    authority = cycle.programme.authority
    reviewers = [ReviewerFactory(authority=authority) for _ in range(2)]
    document = ReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1)
    onsite = ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2)
    apps = {}
    for name, percent in ORGANIZATIONS.items():
        organization = ApplicantFactory(
            organization__name=name, organization__region_code=authority.region_code
        ).organization
        apps[name] = EligibleApplicationFactory(cycle=cycle, organization=organization)
        _score(document, apps[name], percent, reviewers)
    for name, percent in PEOPLE.items():
        apps[name] = individual_application(cycle, name)
        _score(document, apps[name], percent, reviewers)
    return {
        "cycle": cycle,
        "official": OfficialFactory(authority=authority),
        "document": document,
        "onsite": onsite,
        "apps": apps,
    }


def _set(stage, **rule):
    for field, value in rule.items():
        setattr(stage, field, value)
    stage.save()


def _lines(world):
    names = {app.pk: name for name, app in world["apps"].items()}
    return [
        (o.track, names[o.application_id], o.label, o.total, o.rank, o.advances, o.reason)
        for o in advancement_outcomes(stage=world["document"])
    ]


def test_the_top_n_applies_within_each_track(world):
    _set(world["document"], advance_top_n=1)
    assert _lines(world) == [
        (
            Track.ORGANIZATION,
            "甲公司",
            "甲公司",
            Decimal("700.00"),
            1,
            True,
            "总分 700.00，组织奖第 1 名：在组织奖前 1 名内",
        ),
        (
            Track.ORGANIZATION,
            "乙公司",
            "乙公司",
            Decimal("600.00"),
            2,
            False,
            "总分 600.00，组织奖第 2 名：未进入组织奖前 1 名",
        ),
        (
            Track.ORGANIZATION,
            "丙公司",
            "丙公司",
            Decimal("500.00"),
            3,
            False,
            "总分 500.00，组织奖第 3 名：未进入组织奖前 1 名",
        ),
        (
            Track.INDIVIDUAL,
            "张一",
            "张一（张一的工作单位）",
            Decimal("90.00"),
            1,
            True,
            "总分 90.00，个人奖第 1 名：在个人奖前 1 名内",
        ),
        (
            Track.INDIVIDUAL,
            "王二",
            "王二（王二的工作单位）",
            Decimal("80.00"),
            2,
            False,
            "总分 80.00，个人奖第 2 名：未进入个人奖前 1 名",
        ),
        (
            Track.INDIVIDUAL,
            "赵三",
            "赵三（赵三的工作单位）",
            Decimal("40.00"),
            3,
            False,
            "总分 40.00，个人奖第 3 名：未进入个人奖前 1 名",
        ),
    ]
    individual = advancement_rule(world["document"], Track.INDIVIDUAL)
    assert (individual.min_total, individual.top_n, individual.shared_top_n) == (None, 1, True)


def test_each_track_has_its_own_minimum_on_its_own_scale(world):
    # 550 is the organizations' minimum (of 1000 points): it must not shut out the candidates.
    _set(
        world["document"],
        advance_min_total=Decimal("550"),
        individual_advance_min_total=Decimal("60"),
        individual_advance_top_n=1,
    )
    assert [
        (name, advances, reason) for _t, name, _l, _s, _r, advances, reason in _lines(world)
    ] == [
        ("甲公司", True, "总分 700.00，组织奖第 1 名：达到最低总分 550.00"),
        ("乙公司", True, "总分 600.00，组织奖第 2 名：达到最低总分 550.00"),
        ("丙公司", False, "总分 500.00，组织奖第 3 名：低于最低总分 550.00"),
        ("张一", True, "总分 90.00，个人奖第 1 名：达到最低总分 60.00；在个人奖前 1 名内"),
        ("王二", False, "总分 80.00，个人奖第 2 名：未进入个人奖前 1 名"),
        ("赵三", False, "总分 40.00，个人奖第 3 名：低于最低总分 60.00；未进入个人奖前 1 名"),
    ]


def test_the_reasons_in_english_name_the_track(world):
    _set(world["document"], advance_top_n=1)
    with translation.override("en"):
        reasons = [o.reason for o in advancement_outcomes(stage=world["document"])]
        _set(world["document"], advance_top_n=None, advance_min_total=Decimal("1"))
        with pytest.raises(ValidationError) as error:
            advancement_outcomes(stage=world["document"])
    assert reasons[3:5] == [
        "Total score 90.00, Individual award rank 1: In the top 1 (Individual award)",
        "Total score 80.00, Individual award rank 2: Not in the top 1 (Individual award)",
    ]
    assert error.value.messages == [
        "Please set this stage's advancement rules for the Individual award first (minimum "
        "total score and/or top N)."
    ]


def test_a_track_with_applications_but_no_rule_is_refused_and_nothing_changes(world):
    _set(world["document"], advance_min_total=Decimal("550"))
    with pytest.raises(ValidationError) as error:
        apply_advancement(stage=world["document"], by=world["official"])
    assert error.value.messages == ["请先为该阶段设置个人奖的晋级规则（最低总分和/或前 N 名）。"]
    assert Panel.objects.filter(stage=world["onsite"]).count() == 0
    assert AuditEntry.objects.filter(action="apply_advancement").count() == 0


def test_apply_advancement_gives_the_top_n_of_each_track_a_next_stage_panel(world):
    _set(world["document"], advance_top_n=2)
    result = apply_advancement(stage=world["document"], by=world["official"])
    apps = world["apps"]
    advanced = {apps[name].pk for name in ("甲公司", "乙公司", "张一", "王二")}
    assert (result.created_panels, result.removed_panels) == (4, 0)
    assert (
        set(Panel.objects.filter(stage=world["onsite"]).values_list("application_id", flat=True))
        == advanced
    )
    entry = AuditEntry.objects.get(action="apply_advancement")
    assert (entry.details["advanced"], entry.details["rule"], entry.details["individual_rule"]) == (
        sorted(advanced),
        {"min_total": None, "top_n": 2},
        {"min_total": None, "top_n": 2, "shared_top_n": True},
    )
    assert [(o["application"], o["track"], o["rank"]) for o in entry.details["outcomes"]] == [
        (apps["甲公司"].pk, "organization", 1),
        (apps["乙公司"].pk, "organization", 2),
        (apps["丙公司"].pk, "organization", 3),
        (apps["张一"].pk, "individual", 1),
        (apps["王二"].pk, "individual", 2),
        (apps["赵三"].pk, "individual", 3),
    ]


def test_candidate_totals_use_the_individual_framework_points_and_its_consensus(world):
    _set(world["document"], individual_advance_top_n=3, advance_top_n=3)
    panel = Panel.objects.get(stage=world["document"], application=world["apps"]["赵三"])
    consensus = Consensus.objects.create(panel=panel, status=ConsensusStatus.FINAL)
    item = world["cycle"].individual_framework.items.get(code="1.1")  # 10 of 100 points
    ConsensusItem.objects.create(consensus=consensus, item=item, percent=100)
    totals = {
        group.track: {o.label.split("（")[0]: o.total for o in group.outcomes}
        for group in advancement_by_track(stage=world["document"])
    }
    # 赵三: 40 % of the other 90 points, 100 % of item 1.1's 10 points.
    assert totals == {
        Track.ORGANIZATION: {
            "甲公司": Decimal("700.00"),
            "乙公司": Decimal("600.00"),
            "丙公司": Decimal("500.00"),
        },
        Track.INDIVIDUAL: {
            "张一": Decimal("90.00"),
            "王二": Decimal("80.00"),
            "赵三": Decimal("46.00"),
        },
    }


def test_a_cycle_without_individuals_keeps_its_reasons_unnamed():
    cycle = CycleFactory()
    document = ReviewStageFactory(cycle=cycle, advance_top_n=1)
    ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2)
    application = EligibleApplicationFactory(cycle=cycle)
    _score(document, application, 70, [ReviewerFactory(authority=cycle.programme.authority)])
    assert [(o.reason, o.track) for o in advancement_outcomes(stage=document)] == [
        ("总分 700.00，第 1 名：在前 1 名内", Track.ORGANIZATION)
    ]


def test_the_individual_top_n_cannot_be_zero(world):
    document = world["document"]
    with pytest.raises(ValidationError) as error:
        save_stages(
            cycle=world["cycle"],
            changes={document.pk: {"individual_advance_top_n": 0}},
            by=world["official"],
        )
    assert error.value.messages == ["“资料评审”的个人奖晋级名额不能为 0。"]


def _section(html: str, track: str) -> str:
    match = re.search(
        rf'<section class="advancement-track" data-track="{track}">(.*?)</section>', html, re.S
    )
    assert match is not None, track
    return match.group(1)


def test_the_advancement_page_lists_each_track_apart(world, client):
    _set(world["document"], advance_top_n=1, individual_advance_top_n=2)
    client.force_login(world["official"])
    html = client.get(f"/admin/review/stages/{world['document'].pk}/advancement/").content.decode()
    apps = world["apps"]
    organizations, individuals = _section(html, "organization"), _section(html, "individual")

    def rows(section):
        return [int(pk) for pk in re.findall(r'data-application="(\d+)"', section)]

    assert rows(organizations) == [apps[name].pk for name in ORGANIZATIONS]
    assert rows(individuals) == [apps[name].pk for name in PEOPLE]
    assert ("<h2>组织奖</h2>" in organizations, "<h2>个人奖</h2>" in individuals) == (True, True)
    assert ("申报单位" in organizations, "候选人（工作单位）" in individuals) == (True, True)
    assert "王二（王二的工作单位）" in individuals
    assert "总分 80.00，个人奖第 2 名：在个人奖前 2 名内" in individuals
    assert "排名前 1 名（并列者一同晋级）" in organizations
    assert "排名前 2 名（并列者一同晋级）" in individuals


def test_the_stages_page_offers_the_individual_rule_only_with_an_individual_track(world, client):
    client.force_login(world["official"])
    with_track = client.get(f"/admin/review/cycles/{world['cycle'].pk}/stages/").content.decode()
    plain = CycleFactory(programme__authority=world["cycle"].programme.authority)
    ReviewStageFactory(cycle=plain)
    without = client.get(f"/admin/review/cycles/{plain.pk}/stages/").content.decode()
    field = 'name="stages-0-individual_advance_top_n"'
    assert (field in with_track, field in without) == (True, False)
    assert ("组织奖晋级名额（前 N 名）" in with_track, "组织奖晋级名额" in without) == (True, False)


def test_the_stages_page_saves_each_tracks_rule(world, client):
    from tests.clock import SHANGHAI

    client.force_login(world["official"])
    stages = (world["document"], world["onsite"])
    data = {
        "stages-TOTAL_FORMS": "2",
        "stages-INITIAL_FORMS": "2",
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
    }
    for index, stage in enumerate(stages):
        data |= {
            f"stages-{index}-id": stage.pk,
            f"stages-{index}-order": str(stage.order),
            f"stages-{index}-opens_at": f"{stage.opens_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}",
            f"stages-{index}-closes_at": f"{stage.closes_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}",
            f"stages-{index}-panel_size": "5",
            f"stages-{index}-spread_threshold": "20",
            f"stages-{index}-advance_min_total": "",
            f"stages-{index}-advance_top_n": "",
            f"stages-{index}-individual_advance_min_total": "",
            f"stages-{index}-individual_advance_top_n": "",
            f"stages-{index}-weight": str(stage.weight),
        }
    data |= {
        "stages-0-advance_min_total": "550",
        "stages-0-individual_advance_min_total": "60",
        "stages-0-individual_advance_top_n": "2",
    }
    response = client.post(f"/admin/review/cycles/{world['cycle'].pk}/stages/", data)
    assert (response.status_code, response.headers.get("Location")) == (
        302,
        f"/admin/review/cycles/{world['cycle'].pk}/stages/",
    )
    document = world["document"]
    document.refresh_from_db()
    assert (
        document.advance_min_total,
        document.advance_top_n,
        document.individual_advance_min_total,
        document.individual_advance_top_n,
    ) == (Decimal("550.00"), None, Decimal("60.00"), 2)
    assert AuditEntry.objects.get(action="change_review_stage").details == {
        "changes": {
            "advance_min_total": ["None", "550"],
            "individual_advance_min_total": ["None", "60"],
            "individual_advance_top_n": ["None", "2"],
        }
    }
