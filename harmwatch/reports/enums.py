"""Codes of a report's frame and review (DOMAIN.md). Values are stable: they are stored and exported."""

from enum import IntEnum, StrEnum


class ReportType(StrEnum):
    HARM = "harm"
    ACCESS = "access"


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    NEEDS_INFO = "needs_info"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Grade(StrEnum):
    """Airwars confidence grades."""

    CONFIRMED = "confirmed"
    FAIR = "fair"
    WEAK = "weak"
    CONTESTED = "contested"
    DISCOUNTED = "discounted"


class RejectReason(StrEnum):
    NOT_CREDIBLE = "not_credible"
    OUT_OF_SCOPE = "out_of_scope"
    DUPLICATE = "duplicate"
    SPAM = "spam"
    INSUFFICIENT = "insufficient"


class Corroboration(StrEnum):
    """Every Casualty: how one source bears on the claim."""

    CONFIRMS = "confirms"
    INCONCLUSIVE = "inconclusive"
    CONTRADICTS = "contradicts"


class TimePrecision(IntEnum):
    """ACLED: 1 exact day, 2 within a week, 3 within a month."""

    EXACT_DAY = 1
    WITHIN_WEEK = 2
    WITHIN_MONTH = 3


class GeoPrecision(StrEnum):
    EXACT = "exact"
    NEAR = "near"
    TOWN = "town"
    DISTRICT = "district"
    REGION = "region"
