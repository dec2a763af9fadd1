"""The desk's words: its own refusals (the services' are harmwatch.errors.MESSAGES), form
validation, notices, roles and audit actions, as msgids (marked with N_, translated where
they are shown)."""

from __future__ import annotations

from harmwatch.errors import MESSAGES
from harmwatch.i18n import N_

ROLES: dict[str, str] = {
    "admin": N_("Administrator"),
    "monitor": N_("Monitor"),
    "ngo": N_("NGO partner (API only)"),
}

# A report's history in words (the audit page keeps the codes).
AUDIT_ACTIONS: dict[str, str] = {
    "report.submitted": N_("Submitted by the reporter"),
    "report.claimed": N_("Claimed"),
    "report.released": N_("Released"),
    "report.verified": N_("Verified"),
    "report.rejected": N_("Rejected"),
    "report.question_sent": N_("Question sent to the reporter"),
    "report.answer_received": N_("The reporter answered"),
    "report.verification_proposed": N_("Verification proposed"),
    "report.verification_confirmed": N_("Verification confirmed"),
    "report.verification_sent_back": N_("Verification sent back"),
    "report.assigned": N_("Assignment changed"),
    "report.not_related": N_("Marked as not related to another report"),
    "report.reopened": N_("Reopened"),
    "comment.added": N_("Comment added"),
}

# The desk's own refusals (the services' are harmwatch.errors.MESSAGES).
ERRORS: dict[str, str] = {
    "token_form_used": N_("That form was used already, so no new token was made: a token is shown only once. Create another one if you need it."),
    "bulk_nothing": N_("Select at least one report and an action."),
    "session_expired": N_("Your session has ended. Please log in again."),
    "csrf": N_("This form has expired or did not come from the desk. Reload the page and try again."),
}


def error_message(code: str) -> str:
    """The msgid of a desk refusal, or of a service's by its code (an error page names only the code)."""
    return ERRORS.get(code) or MESSAGES[code]


FIELDS: dict[str, str] = {
    "required": N_("%(field)s: this is required."),
    "choice": N_("%(field)s: choose one of the offered values."),
    "integer": N_("%(field)s: enter a whole number from %(min)s to %(max)s."),
    "date": N_("%(field)s: enter a date as YYYY-MM-DD."),
    "future_date": N_("%(field)s: the date cannot be in the future."),
    "number": N_("%(field)s: enter a number from %(min)s to %(max)s."),
    "too_long": N_("%(field)s: use at most %(max)s characters."),
    "ids": N_("%(field)s: enter incident numbers separated by commas."),
}

NOTICES: dict[str, str] = {
    "claimed": N_("You are reviewing this report. Your claim lasts 30 minutes."),
    "released": N_("The report is back in the queue."),
    "assigned": N_("Assigned to %(name)s."),
    "filter_saved": N_("View saved as “%(name)s”."),
    "filter_deleted": N_("Saved view removed."),
    "unassigned": N_("Nobody is assigned to the report now."),
    "commented": N_("Comment added. Only monitors see it."),
    "not_related": N_("%(ref)s will not be proposed as a duplicate of this report again."),
    "verified": N_("Report verified."),
    "proposed": N_("Verification proposed. A second monitor must confirm it."),
    "confirmed": N_("Verification confirmed."),
    "sent_back": N_("The proposed verification was sent back."),
    "rejected": N_("Report rejected."),
    "duplicate": N_("Report marked as a duplicate."),
    "asked": N_("Your question was sent to the reporter."),
    "incident_saved": N_("Incident saved."),
    "merged": N_("Incidents merged."),
    "published": N_("Incident published for the NGO API."),
    "unpublished": N_("Incident withdrawn from the NGO API."),
    "withdrawn": N_("Incident withdrawn from the NGO API. NGOs see that it was withdrawn."),
    "incident_reopened": N_("The incident is open again. Publish it when it is right."),
    "report_reopened": N_("The decision is reopened: the report is in review again, claimed by you."),
    "report_removed": N_("The report was taken out of this incident and is in review again."),
    "merged_away": N_("Incident #%(id)s was merged into this one."),
    "user_created": N_("Account created."),
    "user_saved": N_("Account saved."),
    "totp_reset": N_("Two-factor authentication was reset. The user must set it up again."),
    "token_revoked": N_("Token revoked."),
    "chain_ok": N_("The audit chain is intact: %(count)s events checked."),
    "chain_broken": N_("The audit chain is BROKEN at event %(id)s: %(reason)s."),
    "language_saved": N_("Language saved."),
    "password_saved": N_("Password changed."),
    "totp_enabled": N_("Two-factor authentication is on."),
    "logged_out_everywhere": N_("You were logged out on every device."),
    "totp_required": N_("Admins must turn on two-factor authentication before going on."),
}

CHAIN_REASONS: dict[str, str] = {
    "a row before it was deleted or changed": N_("a row before it was deleted or changed"),
    "its content was changed": N_("its content was changed"),
}

FIELD_LABELS: dict[str, str] = {
    "killed": N_("Killed"),
    "injured": N_("Injured"),
    "missing": N_("Missing"),
    "children_killed": N_("Children killed"),
    "children_injured": N_("Children injured"),
    "aid_workers_killed": N_("Aid workers killed"),
    "aid_workers_injured": N_("Aid workers injured"),
    "aid_workers_abducted": N_("Aid workers abducted"),
    "people_not_reached": N_("People not reached"),
    "report_type": N_("Type"),
    "time_precision": N_("Date precision"),
    "geo_precision": N_("Place precision"),
    "grade": N_("Grade"),
    "weapon": N_("Weapon"),
    "objects_hit": N_("What was hit"),
    "sectors": N_("Kinds of aid affected"),
    "actor_types": N_("Who was affected"),
    "sources": N_("Sources"),
    "duration": N_("Duration"),
    "resolved": N_("Resolved"),
    "time_of_day": N_("Time of day"),
    "event_type": N_("Event"),
    "access_constraint": N_("Access constraint"),
    "occurred_on": N_("Date of the event"),
    "adm1_pcode": N_("Governorate"),
    "adm2_pcode": N_("District"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "killed_min": N_("Killed, minimum"),
    "killed_max": N_("Killed, maximum"),
    "injured_min": N_("Injured, minimum"),
    "injured_max": N_("Injured, maximum"),
    "missing_min": N_("Missing, minimum"),
    "missing_max": N_("Missing, maximum"),
    "children_killed_min": N_("Children killed, minimum"),
    "children_killed_max": N_("Children killed, maximum"),
    "children_injured_min": N_("Children injured, minimum"),
    "children_injured_max": N_("Children injured, maximum"),
    "aid_workers_killed_min": N_("Aid workers killed, minimum"),
    "aid_workers_killed_max": N_("Aid workers killed, maximum"),
    "aid_workers_injured_min": N_("Aid workers injured, minimum"),
    "aid_workers_injured_max": N_("Aid workers injured, maximum"),
    "aid_workers_abducted_min": N_("Aid workers abducted, minimum"),
    "aid_workers_abducted_max": N_("Aid workers abducted, maximum"),
    "people_not_reached_min": N_("People not reached, minimum"),
    "people_not_reached_max": N_("People not reached, maximum"),
}
