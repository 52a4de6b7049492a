from scoring.models.consensus import Consensus, ConsensusComment, ConsensusItem
from scoring.models.panels import Assignment, ConflictOverride, Panel, ReviewStage
from scoring.models.results import (
    Award,
    Certificate,
    CertificateBatch,
    Objection,
    ObjectionOutcome,
    PublicNotice,
    ResultEntry,
    ResultSnapshot,
)
from scoring.models.results_runs import (
    ComputationStatus,
    ComputationStep,
    ResultComputation,
    ResultTrace,
)
from scoring.models.results_settings import ResultsSettings
from scoring.models.reviewers import ConflictDeclaration, ReviewerCommitment, ReviewerProfile
from scoring.models.scorecards import ItemScore, Scorecard

__all__ = [
    "Award",
    "Certificate",
    "CertificateBatch",
    "Objection",
    "ObjectionOutcome",
    "PublicNotice",
    "ComputationStatus",
    "ComputationStep",
    "ResultComputation",
    "ResultEntry",
    "ResultTrace",
    "ResultSnapshot",
    "ResultsSettings",
    "Assignment",
    "ConflictDeclaration",
    "ConflictOverride",
    "Consensus",
    "ConsensusComment",
    "ConsensusItem",
    "ItemScore",
    "Panel",
    "ReviewStage",
    "ReviewerCommitment",
    "ReviewerProfile",
    "Scorecard",
]
