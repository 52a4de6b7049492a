"""The review committee (评审委员会) of a cycle and its decision (审定) on a results snapshot.

Approving a snapshot needs a recorded decision that meets the programme's rules (copied into the
decision when it is recorded): a quorum of the members present and, for every proposed award,
a majority of the members present. The arithmetic is exact (integers, no floats):

* quorum met  ⇔  present × quorum_denominator ≥ members × quorum_numerator;
* award passes ⇔ approvals × majority_denominator > present × majority_numerator.

An abstention counts as present and not in favour, so with "more than half" it weighs like a
vote against, as in the committee rules the programmes follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import Role
from awards.models import Cycle, User
from awards.models.applications import display_name_expression
from awards.permissions.rules import require_authority
from awards.services.audit import record
from scoring.results.models import (
    Committee,
    CommitteeDecision,
    CommitteeResolution,
    CommitteeVote,
    ResolutionKind,
    ResultEntry,
    ResultSnapshot,
    Vote,
)


def quorum_met(*, present: int, members: int, numerator: int, denominator: int) -> bool:
    return present > 0 and present * denominator >= members * numerator


def majority_met(*, approvals: int, present: int, numerator: int, denominator: int) -> bool:
    return approvals * denominator > present * numerator


def committee_candidates(*, cycle: Cycle) -> QuerySet[User]:
    """Who may sit on the committee: the active officials and experts of the cycle's authority."""
    return User.objects.filter(
        Q(role=Role.OFFICIAL) | Q(role=Role.REVIEWER),
        authority_id=cycle.programme.authority_id,
        is_active=True,
    ).order_by("role", "full_name", "username")


def cycle_committee(*, cycle: Cycle) -> Committee | None:
    return Committee.objects.filter(cycle=cycle).select_related("chair").first()


@transaction.atomic
def set_committee(*, cycle: Cycle, members: Iterable[User], chair: User | None, by) -> Committee:
    """Appoint (or change) the cycle's committee. Decisions already recorded keep the
    membership they were taken with (``CommitteeDecision.member_count`` and ``present``)."""
    require_authority(by, cycle.programme.authority_id)
    members = list(members)
    allowed = set(committee_candidates(cycle=cycle).values_list("pk", flat=True))
    errors: dict[str, str] = {}
    if not members:
        errors["members"] = _("评审委员会至少需要一名委员。")
    elif any(member.pk not in allowed for member in members):
        errors["members"] = _("委员须是本授奖机关在职的工作人员或评审专家。")
    if chair is None or chair.pk not in {member.pk for member in members}:
        errors["chair"] = _("主任委员须是评审委员会的委员。")
    if errors:
        raise ValidationError(errors)
    committee, created = Committee.objects.update_or_create(
        cycle=cycle, defaults={"chair": chair, "updated_by": by}
    )
    committee.members.set(members)
    record(
        actor=by,
        action=AuditAction.SET_COMMITTEE,
        target=cycle,
        members=sorted(member.pk for member in members),
        chair=chair.pk,
    )
    return committee


def proposed_awards(snapshot: ResultSnapshot) -> list[ResultEntry]:
    """The entries the committee votes on: every application with a proposed award level."""
    return list(
        ResultEntry.objects.filter(snapshot=snapshot)
        .exclude(level="")
        .select_related("application__organization", "application__candidate")
        .order_by("rank", "application_id")
    )


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """A tie or quota conflict the computation left to the committee (评审委员会审定)."""

    kind: str
    key: str
    subject: str


def open_questions(snapshot: ResultSnapshot) -> list[OpenQuestion]:
    summary = (
        ResultSnapshot.objects.filter(pk=snapshot.pk).values_list("outputs__summary", flat=True)
    )[0] or {}
    names = dict(
        ResultEntry.objects.filter(snapshot=snapshot).values_list(
            "application_id", display_name_expression("application__")
        )
    )

    def listed(applications) -> str:
        return "、".join(names.get(int(app), str(app)) for app in applications)

    questions = [
        OpenQuestion(
            kind=ResolutionKind.TIE,
            key=f"tie:{tie['rank']}:{','.join(map(str, tie['applications']))}",
            subject=_("%(names)s并列第 %(rank)s 名，并列处理规则无法区分")
            % {"names": listed(tie["applications"]), "rank": tie["rank"]},
        )
        for tie in summary.get("ties", ())
    ]
    questions += [
        OpenQuestion(
            kind=ResolutionKind.QUOTA,
            key=f"quota:{conflict['level']}:{','.join(map(str, conflict['applications']))}",
            subject=_("%(names)s并列，超出“%(level)s”剩余名额（%(left)s 个）")
            % {
                "names": listed(conflict["applications"]),
                "level": conflict["level"],
                "left": conflict["places_left"],
            },
        )
        for conflict in summary.get("quota_conflicts", ())
    ]
    return questions


@dataclass(frozen=True, slots=True)
class Tally:
    entry: ResultEntry
    approve: int
    reject: int
    abstain: int
    passed: bool


@dataclass(frozen=True, slots=True)
class DecisionOutcome:
    decision: CommitteeDecision
    present: int
    quorum_met: bool
    tallies: list[Tally]

    @property
    def valid(self) -> bool:
        return self.quorum_met and all(tally.passed for tally in self.tallies)

    def problems(self) -> list[str]:
        problems = []
        decision = self.decision
        if not self.quorum_met:
            problems.append(
                _(
                    "出席委员 %(present)s 人，未达到法定人数（%(members)s 名委员的 "
                    "%(numerator)s/%(denominator)s）。"
                )
                % {
                    "present": self.present,
                    "members": decision.member_count,
                    "numerator": decision.quorum_numerator,
                    "denominator": decision.quorum_denominator,
                }
            )
        for tally in self.tallies:
            if not tally.passed:
                problems.append(
                    _(
                        "%(organization)s拟授“%(level)s”赞成 %(approve)s 票，未超过出席委员的 "
                        "%(numerator)s/%(denominator)s。"
                    )
                    % {
                        "organization": tally.entry.application.display_name,
                        "level": tally.entry.level,
                        "approve": tally.approve,
                        "numerator": decision.majority_numerator,
                        "denominator": decision.majority_denominator,
                    }
                )
        return problems


def decision_outcome(decision: CommitteeDecision) -> DecisionOutcome:
    present = decision.present.count()
    counts: dict[int, dict[str, int]] = {}
    for application_id, vote in decision.votes.values_list("application_id", "vote"):
        counts.setdefault(application_id, dict.fromkeys(Vote.values, 0))[vote] += 1
    tallies = []
    for entry in proposed_awards(decision.snapshot):
        votes = counts.get(entry.application_id, dict.fromkeys(Vote.values, 0))
        tallies.append(
            Tally(
                entry=entry,
                approve=votes[Vote.APPROVE],
                reject=votes[Vote.REJECT],
                abstain=votes[Vote.ABSTAIN],
                passed=majority_met(
                    approvals=votes[Vote.APPROVE],
                    present=present,
                    numerator=decision.majority_numerator,
                    denominator=decision.majority_denominator,
                ),
            )
        )
    return DecisionOutcome(
        decision=decision,
        present=present,
        quorum_met=quorum_met(
            present=present,
            members=decision.member_count,
            numerator=decision.quorum_numerator,
            denominator=decision.quorum_denominator,
        ),
        tallies=tallies,
    )


def approval_problems(snapshot: ResultSnapshot) -> list[str]:
    """Why the committee's decision does not (yet) allow approving ``snapshot``; [] if it does."""
    decision = CommitteeDecision.objects.filter(snapshot=snapshot).first()
    if decision is None:
        return [_("尚未记录评审委员会对本版结果的审定，不能批准。")]
    return decision_outcome(decision).problems()


@transaction.atomic
def record_committee_decision(
    *,
    snapshot: ResultSnapshot,
    held_on: dt.date,
    present: Iterable[User],
    votes: Mapping[tuple[int, int], str],
    rationales: Mapping[str, str],
    minutes: str = "",
    by,
) -> CommitteeDecision:
    """Record the committee meeting on ``snapshot``, replacing an earlier record while the
    snapshot is not approved.

    ``votes`` maps (application id, member id) to a ``Vote`` value, one for every present member
    and every proposed award; ``rationales`` maps each open question's key to its written
    ruling. The decision is recorded even when it misses the quorum or a majority (the meeting
    took place); approval then refuses it.
    """
    snapshot = (
        ResultSnapshot.objects.select_for_update()
        .select_related("cycle__programme")
        .defer("outputs")
        .get(pk=snapshot.pk)
    )
    programme = snapshot.cycle.programme
    require_authority(by, programme.authority_id)
    if snapshot.approved_at is not None:
        raise ValidationError(
            _("第 %(version)s 版评审结果已经批准，不能再修改审定记录。")
            % {"version": snapshot.version},
            code="approved",
        )
    committee = cycle_committee(cycle=snapshot.cycle)
    if committee is None:
        raise ValidationError(_("请先设置本届评审委员会。"), code="no_committee")
    members = {member.pk: member for member in committee.members.all()}
    present = list(present)
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors.setdefault("held_on", []).append(_("会议日期不能晚于今天。"))
    if not present:
        errors.setdefault("present", []).append(_("请选择出席会议的委员。"))
    elif any(member.pk not in members for member in present):
        errors.setdefault("present", []).append(_("出席人员须是本届评审委员会的委员。"))
    awards = proposed_awards(snapshot)
    expected = {(entry.application_id, member.pk) for entry in awards for member in present}
    if set(votes) != expected or any(vote not in Vote.values for vote in votes.values()):
        errors.setdefault("__all__", []).append(
            _("每名出席委员须对每个拟授奖项投赞成、反对或弃权票，缺席委员不投票。")
        )
    questions = open_questions(snapshot)
    texts = {question.key: (rationales.get(question.key) or "").strip() for question in questions}
    if any(not text for text in texts.values()):
        errors.setdefault("__all__", []).append(
            _("每一处无法区分的并列或名额冲突都须写明审定理由。")
        )
    if errors:
        raise ValidationError(errors)

    previous = CommitteeDecision.objects.filter(snapshot=snapshot).first()
    if previous is not None:
        previous.delete()
    decision = CommitteeDecision.objects.create(
        snapshot=snapshot,
        held_on=held_on,
        member_count=len(members),
        chair=committee.chair,
        quorum_numerator=programme.quorum_numerator,
        quorum_denominator=programme.quorum_denominator,
        majority_numerator=programme.majority_numerator,
        majority_denominator=programme.majority_denominator,
        minutes=minutes.strip(),
        recorded_by=by,
    )
    decision.present.set(present)
    CommitteeVote.objects.bulk_create(
        CommitteeVote(
            decision=decision,
            application_id=application_id,
            level=next(e.level for e in awards if e.application_id == application_id),
            member_id=member_id,
            vote=vote,
        )
        for (application_id, member_id), vote in sorted(votes.items())
    )
    CommitteeResolution.objects.bulk_create(
        CommitteeResolution(
            decision=decision,
            kind=question.kind,
            key=question.key,
            subject=question.subject,
            rationale=texts[question.key],
        )
        for question in questions
    )
    outcome = decision_outcome(decision)
    record(
        actor=by,
        action=AuditAction.RECORD_COMMITTEE_DECISION,
        target=snapshot,
        version=snapshot.version,
        held_on=held_on.isoformat(),
        members=len(members),
        present=sorted(member.pk for member in present),
        quorum_met=outcome.quorum_met,
        replaces=previous is not None,
    )
    for tally in outcome.tallies:
        record(
            actor=by,
            action=AuditAction.RECORD_COMMITTEE_VOTE,
            target=tally.entry.application,
            snapshot=snapshot.pk,
            level=tally.entry.level,
            approve=tally.approve,
            reject=tally.reject,
            abstain=tally.abstain,
            passed=tally.passed,
        )
    return decision
