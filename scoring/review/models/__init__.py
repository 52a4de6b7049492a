from scoring.review.models.consensus import Consensus, ConsensusComment, ConsensusItem
from scoring.review.models.defence import AnswerFile, DefenceQuestion, QuestionRound
from scoring.review.models.panels import Assignment, ConflictOverride, Panel, ReviewStage
from scoring.review.models.reviewers import (
    ConflictDeclaration,
    ReviewerCommitment,
    ReviewerProfile,
)
from scoring.review.models.scorecards import ItemScore, Scorecard

__all__ = [
    "AnswerFile",
    "DefenceQuestion",
    "QuestionRound",
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
