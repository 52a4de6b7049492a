"""Django finds the app's models here; code imports them from their feature
(``scoring.review.models``, ``scoring.results.models``, ``scoring.publication.models``,
``scoring.certificates.models``), so that one feature does not load the others."""

from scoring.certificates.models import Certificate, CertificateBatch
from scoring.publication.models import (
    Award,
    HolidayYear,
    Objection,
    ObjectionOutcome,
    PublicNotice,
)
from scoring.results.models import (
    ComputationStatus,
    ComputationStep,
    ResultComputation,
    ResultEntry,
    ResultSnapshot,
    ResultsSettings,
    ResultTrace,
)
from scoring.review.models import (
    Assignment,
    ConflictDeclaration,
    ConflictOverride,
    Consensus,
    ConsensusComment,
    ConsensusItem,
    ItemScore,
    Panel,
    ReviewerCommitment,
    ReviewerProfile,
    ReviewStage,
    Scorecard,
)

__all__ = [
    "Assignment",
    "Award",
    "Certificate",
    "CertificateBatch",
    "ComputationStatus",
    "ComputationStep",
    "ConflictDeclaration",
    "ConflictOverride",
    "Consensus",
    "ConsensusComment",
    "ConsensusItem",
    "HolidayYear",
    "ItemScore",
    "Objection",
    "ObjectionOutcome",
    "Panel",
    "PublicNotice",
    "ResultComputation",
    "ResultEntry",
    "ResultSnapshot",
    "ResultTrace",
    "ResultsSettings",
    "ReviewStage",
    "ReviewerCommitment",
    "ReviewerProfile",
    "Scorecard",
]
