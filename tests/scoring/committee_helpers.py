"""Helpers for tests that need an approved snapshot through the real service: the committee's
decision (审定) is recorded, and a second official approves (four-eyes rule)."""

from __future__ import annotations

from awards.models import User
from scoring.results.models import CommitteeDecision, ResultSnapshot, Vote
from scoring.results.services.committee import (
    cycle_committee,
    open_questions,
    proposed_awards,
    record_committee_decision,
    set_committee,
)
from scoring.results.services.computation import approve_snapshot
from tests import clock
from tests.factories import OfficialFactory


def second_official(snapshot: ResultSnapshot) -> User:
    """An official of the snapshot's authority other than the one who computed it."""
    authority_id = snapshot.cycle.programme.authority_id
    other = (
        User.objects.filter(role="official", authority_id=authority_id, is_active=True)
        .exclude(pk=snapshot.created_by_id)
        .order_by("pk")
        .first()
    )
    return other or OfficialFactory(authority_id=authority_id, full_name="李科长")


def record_unanimous_decision(snapshot: ResultSnapshot, *, by=None) -> CommitteeDecision:
    """The committee (the computing official and a second one, unless one is set) meets today,
    everyone present approves every proposed award and every open question gets a rationale."""
    cycle = snapshot.cycle
    committee = cycle_committee(cycle=cycle)
    if committee is None:
        chair = second_official(snapshot)
        committee = set_committee(
            cycle=cycle, members=[snapshot.created_by, chair], chair=chair, by=None
        )
    present = list(committee.members.all())
    return record_committee_decision(
        snapshot=snapshot,
        held_on=clock.today(),
        present=present,
        votes={
            (entry.application_id, member.pk): Vote.APPROVE
            for entry in proposed_awards(snapshot)
            for member in present
        },
        rationales={question.key: "经评审委员会审定。" for question in open_questions(snapshot)},
        by=by,
    )


def approve_with_committee(snapshot: ResultSnapshot, *, by=None) -> ResultSnapshot:
    """Record a unanimous decision, then approve as ``by`` (default: a second official)."""
    record_unanimous_decision(snapshot)
    return approve_snapshot(snapshot=snapshot, by=by or second_official(snapshot))
