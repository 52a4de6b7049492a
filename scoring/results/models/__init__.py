from scoring.results.models.runs import (
    ComputationStatus,
    ComputationStep,
    ResultComputation,
    ResultTrace,
)
from scoring.results.models.settings import ResultsSettings
from scoring.results.models.snapshots import ResultEntry, ResultSnapshot, frozen_snapshot_error

__all__ = [
    "ComputationStatus",
    "ComputationStep",
    "ResultComputation",
    "ResultEntry",
    "ResultSnapshot",
    "ResultTrace",
    "ResultsSettings",
    "frozen_snapshot_error",
]
