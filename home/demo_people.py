"""Shared pieces of the demo's cycle builders: who acts for each award, and the clock.

Each award's finished and in-review cycles are built by the same builders
(:mod:`home.demo_history`, :mod:`home.demo_review`) from the per-award data here, so the three
awards look alike but keep their own people, organizations and wording.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from awards.demo import AWARDS, DEMO_PASSWORD, DemoAward
from awards.enums import Role
from awards.services.people import create_staff_account
from scoring.review.models import ReviewerProfile
from scoring.review.services.commitments import accept_commitment, finish_declarations


@dataclass(frozen=True)
class AwardCast:
    """The people of one award's demo cycles."""

    slug: str
    #: The official who approves what ``official`` computes or writes (four-eyes rule).
    second_official: tuple[str, str]
    #: Industries and division code of the authority's expert pool (kept in the admin).
    industries: tuple[str, ...]
    region_code: str

    @property
    def award(self) -> DemoAward:
        return next(a for a in AWARDS if a.programme["slug"] == self.slug)

    @property
    def official(self) -> str:
        return self.award.official[0]

    @property
    def reviewers(self) -> list[str]:
        return [username for username, _name in self.award.reviewers]


CASTS = {
    "luyu": AwardCast("luyu", ("tianmen_official2", "杨春燕"), ("C", "E", "G"), "429006"),
    "sanxia": AwardCast("sanxia", ("yichang_official2", "郑海涛"), ("A", "C", "R"), "420500"),
    "jinggang": AwardCast("jinggang", ("jiangxi_official2", "万晓梅"), ("C", "G", "R"), "360100"),
}


@contextmanager
def on(day: dt.date, hour: int = 10):
    """Run the block at ``hour`` o'clock (Beijing time) of ``day``, with the clock ticking."""
    import time_machine

    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())
    with time_machine.travel(moment, tick=True):
        yield


def user(username: str):
    return get_user_model().objects.get(username=username)


def second_official(cast: AwardCast, authority):
    username, full_name = cast.second_official
    existing = get_user_model().objects.filter(username=username).first()
    if existing is not None:
        return existing
    return create_staff_account(
        role=Role.OFFICIAL,
        authority=authority,
        username=username,
        full_name=full_name,
        email=f"{username}@example.com",
        password=DEMO_PASSWORD,
        by=None,
    )


def enlist_reviewers(cast: AwardCast, cycle) -> list:
    """The authority's first three experts join the pool and sign the cycle's commitment."""
    reviewers = [user(username) for username in cast.reviewers[:3]]
    for reviewer in reviewers:
        # The authority's pool of experts is kept in the admin (no service creates it).
        ReviewerProfile.objects.get_or_create(
            user=reviewer,
            defaults={"industries": list(cast.industries), "region_code": cast.region_code},
        )
        accept_commitment(reviewer=reviewer, cycle=cycle)
        finish_declarations(reviewer=reviewer, cycle=cycle)
    return reviewers
