"""Organizations and individuals are ranked apart, each track with its own levels and quotas;
an individual's certificate names the person and the employer, never the identity number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.enums import Track
from awards.pdf.inspect import pdf_text
from scoring.certificates.services.documents import render_certificate_pdf
from scoring.results.models import ResultEntry
from scoring.results.services.computation import compute_cycle_results, current_snapshot
from scoring.review.models import Panel
from tests.factories import OrganizationFactory
from tests.individual_world import SECRET_ID, individual_application, with_individual_track
from tests.scoring.certificate_world import (
    announced,
    application_of,
    award_for,
    luyu_cycle,
    make_certificate,
)
from tests.scoring.factories import AssignmentFactory, submitted_scorecard
from tests.scoring.results_world import build_world

pytestmark = pytest.mark.django_db

#: The individual framework totals 100, so a percentage given to every item is the total.
PEOPLE = {"张一": (80, 80), "王二": (70, 70), "赵三": (60, 60)}


def _add_individual(world, name, document, onsite):
    application = individual_application(world.cycle, name)
    for stage, percent in ((world.document, document), (world.onsite, onsite)):
        panel = Panel.objects.create(stage=stage, application=application)
        for reviewer in world.reviewers:
            submitted_scorecard(AssignmentFactory(panel=panel, reviewer=reviewer), percent)
    return application


def _lines(snapshot):
    return [
        (entry.application.display_name.split("（")[0], entry.rank, str(entry.total), entry.level)
        for entry in ResultEntry.objects.filter(snapshot=snapshot)
        .select_related("application__organization", "application__candidate")
        .order_by("rank")
    ]


@pytest.fixture
def world():
    world = build_world()
    with_individual_track(world.cycle, levels=(("个人奖", 60, 1), ("个人提名奖", 50, 1)))
    for name, (document, onsite) in PEOPLE.items():
        _add_individual(world, name, document, onsite)
    return world


def test_each_track_is_ranked_on_its_own_with_its_own_quotas(world):
    organizations = compute_cycle_results(cycle=world.cycle, by=world.official)
    individuals = compute_cycle_results(
        cycle=world.cycle, by=world.official, track=Track.INDIVIDUAL
    )
    assert (organizations.track, individuals.track) == (Track.ORGANIZATION, Track.INDIVIDUAL)
    assert _lines(organizations) == [
        ("甲公司", 1, "700.00", "质量奖"),
        ("乙公司", 2, "635.00", "提名奖"),
        ("丙公司", 3, "481.67", ""),
    ]
    # 赵三 reaches 个人奖's minimum, but the individual quotas (1 + 1) are filled.
    assert _lines(individuals) == [
        ("张一", 1, "80.00", "个人奖"),
        ("王二", 2, "70.00", "个人提名奖"),
        ("赵三", 3, "60.00", ""),
    ]


def test_the_ranking_pages_and_exports_show_one_track_each(world, client):
    organizations = compute_cycle_results(cycle=world.cycle, by=world.official)
    individuals = compute_cycle_results(
        cycle=world.cycle, by=world.official, track=Track.INDIVIDUAL
    )
    client.force_login(world.official)
    people_page = client.get(reverse("cycle_results:ranking", args=[individuals.pk]))
    people = people_page.content.decode()
    assert [name in people for name in ("张一", "王二", "赵三", "甲公司", "乙公司")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert "候选人（工作单位）" in people
    orgs = client.get(reverse("cycle_results:ranking", args=[organizations.pk])).content.decode()
    assert [name in orgs for name in ("甲公司", "张一")] == [True, False]
    export = client.get(reverse("cycle_results:csv", args=[individuals.pk])).content.decode()
    assert ("张一" in export, "甲公司" in export, SECRET_ID in export) == (True, False, False)
    assert SECRET_ID not in people
    assert "1978-03-15" not in people + export


def test_approving_one_track_leaves_the_other_current_result_alone(world):
    individuals = compute_cycle_results(
        cycle=world.cycle, by=world.official, track=Track.INDIVIDUAL
    )
    individuals.approved_at = individuals.created_at
    type(individuals).objects.filter(pk=individuals.pk).update(approved_at=individuals.created_at)
    assert current_snapshot(cycle=world.cycle) is None
    assert current_snapshot(cycle=world.cycle, track=Track.INDIVIDUAL).pk == individuals.pk


def test_the_individual_certificate_names_the_person_and_the_employer():
    cycle = with_individual_track(luyu_cycle())
    employer = OrganizationFactory(name="天门市精工机械有限公司", region_code="429006")
    application_of(cycle, employer)  # the employer has an applicant account
    person = individual_application(cycle, "李质量", employer=employer)
    snapshot = announced(cycle, [(person, "82.00", "个人奖", {})])
    certificate = make_certificate(award_for(snapshot, person, "个人奖"))
    text = pdf_text(render_certificate_pdf(certificate=certificate))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "李质量同志：" in lines
    assert "工作单位：天门市精工机械有限公司" in lines
    assert "奖项等级：个人奖" in lines
    flat = text.replace(" ", "").replace("\n", "")
    assert (SECRET_ID in flat, SECRET_ID[-4:] in flat, "1978" in flat) == (False, False, False)
