"""Every table, imported once so that SQLModel.metadata (and Alembic) knows them all."""

from sqlmodel import SQLModel

from harmwatch.accounts.models import ApiToken, LoginAttempt, LoginSession, Role, SpentCode, User
from harmwatch.audit.models import AuditEvent
from harmwatch.exports.models import ExportLine
from harmwatch.incidents.models import Incident
from harmwatch.messaging.models import ChatMessage, OutboxMessage, OutgoingReply, ProcessedUpdate
from harmwatch.places.models import Place
from harmwatch.ratelimits import RateBucket
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Draft, Media, Report, ReportMessage
from harmwatch.review.models import Comment, NotRelated, Notice, SavedFilter, VerificationProposal

metadata = SQLModel.metadata

__all__ = [
    "ApiToken",
    "AuditEvent",
    "ChatMessage",
    "Comment",
    "Draft",
    "ExportLine",
    "Incident",
    "LoginAttempt",
    "LoginSession",
    "Media",
    "NotRelated",
    "Notice",
    "OutboxMessage",
    "Place",
    "OutgoingReply",
    "ProcessedUpdate",
    "RateBucket",
    "Report",
    "ReportMessage",
    "Reporter",
    "Role",
    "SavedFilter",
    "SpentCode",
    "User",
    "VerificationProposal",
    "metadata",
]
