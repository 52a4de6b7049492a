from scoring.results.models.committee import (
    Committee,
    CommitteeDecision,
    CommitteeResolution,
    CommitteeVote,
    ResolutionKind,
    Vote,
)
from scoring.results.models.runs import (
    ComputationStatus,
    ComputationStep,
    ResultComputation,
    ResultTrace,
)
from scoring.results.models.settings import ResultsSettings
from scoring.results.models.snapshots import ResultEntry, ResultSnapshot, frozen_snapshot_error

__all__ = [
    "Committee",
    "CommitteeDecision",
    "CommitteeResolution",
    "CommitteeVote",
    "ResolutionKind",
    "Vote",
    "ComputationStatus",
    "ComputationStep",
    "ResultComputation",
    "ResultEntry",
    "ResultSnapshot",
    "ResultTrace",
    "ResultsSettings",
    "frozen_snapshot_error",
]
