"""An incident's lifecycle (stable codes: stored and exported). NGOs see `published` only;
`withdrawn` (with a reason) and `merged` (with `merged_into_id`) are tombstones."""

from enum import StrEnum


class IncidentState(StrEnum):
    UNPUBLISHED = "unpublished"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"
