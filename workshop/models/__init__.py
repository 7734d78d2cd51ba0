"""Typed SQLAlchemy 2.0 models, one aggregate per module."""

from workshop.models.audit import AuditEntry
from workshop.models.base import Base
from workshop.models.participant import Participant
from workshop.models.proposal import CHANGE_LEVELS, STATUSES, Proposal
from workshop.models.vote import Vote
from workshop.models.workshop import STEP_KINDS, Step, Workshop

__all__ = [
    "AuditEntry",
    "Base",
    "CHANGE_LEVELS",
    "Participant",
    "Proposal",
    "STATUSES",
    "STEP_KINDS",
    "Step",
    "Vote",
    "Workshop",
]
