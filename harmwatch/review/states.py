"""A report's review states and the moves between them: the one place the review service, the
desk's templates, the queue and the bot's outcome messages take their lists of states from."""

from __future__ import annotations

from harmwatch.reports.enums import ReportStatus as S

ALLOWED: dict[S, frozenset[S]] = {
    S.SUBMITTED: frozenset({S.IN_REVIEW}),
    S.IN_REVIEW: frozenset({S.VERIFIED, S.REJECTED, S.NEEDS_INFO, S.SUBMITTED}),
    S.NEEDS_INFO: frozenset({S.IN_REVIEW, S.REJECTED}),
    S.VERIFIED: frozenset({S.IN_REVIEW}),
    S.REJECTED: frozenset({S.IN_REVIEW}),
}
# A decision: the reporter is told the outcome; changing it is `reopen`, with a reason.
DECIDED = frozenset({S.VERIFIED, S.REJECTED})
# Not decided: a monitor may claim the report (a claim on one waiting for the reporter takes it back).
OPEN = frozenset(S) - DECIDED
# Waiting for a monitor rather than for the reporter's answer: the queue offers to claim these.
WAITING_FOR_MONITOR = frozenset({S.SUBMITTED, S.IN_REVIEW})
# The decided states whose report goes on the record (into a published incident).
PUBLISHED = frozenset({S.VERIFIED})
