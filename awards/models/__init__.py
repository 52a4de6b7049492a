from awards.models.applications import Application, ApplicationEvent, ItemResponse
from awards.models.attachments import Attachment, AttachmentRequirement
from awards.models.audit import AuditChainHead, AuditEntry
from awards.models.authorities import AwardingAuthority, AwardProgramme
from awards.models.candidates import IndividualCandidate
from awards.models.cycles import AwardLevel, Cycle
from awards.models.frameworks import CriteriaCategory, CriteriaFramework, CriteriaItem
from awards.models.invitations import InvitationState, OrganizationInvitation
from awards.models.notifications import MessageTemplate, Notification
from awards.models.organizations import Organization
from awards.models.people import Person, User
from awards.models.recommendations import Recommendation

__all__ = [
    "Application",
    "ApplicationEvent",
    "Attachment",
    "AttachmentRequirement",
    "AuditChainHead",
    "AuditEntry",
    "AwardLevel",
    "AwardProgramme",
    "AwardingAuthority",
    "CriteriaCategory",
    "CriteriaFramework",
    "CriteriaItem",
    "Cycle",
    "InvitationState",
    "IndividualCandidate",
    "ItemResponse",
    "MessageTemplate",
    "Notification",
    "Organization",
    "OrganizationInvitation",
    "Person",
    "Recommendation",
    "User",
]
