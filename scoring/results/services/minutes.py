"""The minutes (会议纪要) of a committee decision as a PDF, for the file of the cycle.

Printed through ``awards.pdf.render`` like every PDF of the portal (CJK fonts from
``static/css/pdf/base.css``, local resources only); the template is autoescaped, so whatever the
secretary typed (minutes, rationales) stays text. Always in Chinese, the language of the file.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from scoring.results.models import CommitteeDecision, CommitteeVote
from scoring.results.services.committee import decision_outcome

MINUTES_TEMPLATE = "pdf/committee_minutes.html"


def minutes_context(decision: CommitteeDecision) -> dict[str, Any]:
    snapshot = decision.snapshot
    cycle = snapshot.cycle
    present = list(decision.present.order_by("role", "full_name", "username"))
    ballots: dict[int, dict[int, str]] = {}
    for vote in CommitteeVote.objects.filter(decision=decision):
        ballots.setdefault(vote.application_id, {})[vote.member_id] = vote.get_vote_display()
    outcome = decision_outcome(decision)
    return {
        "decision": decision,
        "snapshot": snapshot,
        "cycle": cycle,
        "programme": cycle.programme,
        "authority": cycle.programme.authority,
        "present": present,
        "outcome": outcome,
        "rows": [
            (
                tally,
                [ballots.get(tally.entry.application_id, {}).get(m.pk, "") for m in present],
            )
            for tally in outcome.tallies
        ],
        "resolutions": list(decision.resolutions.all()),
        "minutes_paragraphs": [line for line in decision.minutes.splitlines() if line.strip()],
    }


def render_minutes_pdf(*, decision: CommitteeDecision) -> bytes:
    from awards.pdf.render import render_pdf_from_template

    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf_from_template(MINUTES_TEMPLATE, minutes_context(decision))
