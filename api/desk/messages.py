"""The desk's messages for the typed errors of the services and for form validation, as
msgids (marked with N_, translated where they are shown)."""

from __future__ import annotations

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

ERRORS: dict[str, str] = {
    # review
    "illegal_transition": N_("This report cannot move to that state from where it is now."),
    "not_in_review": N_("This report is not in review any more: someone may have decided it already. Reload to see its state."),
    "claim_lost": N_("Your claim on this report has expired or been taken by another monitor. Nothing was changed; claim it again to go on."),
    "claimed_by_other": N_("Another monitor is reviewing this report right now."),
    "incident_type_mismatch": N_("That incident is of another report type."),
    "duplicate_needs_original": N_("Choose the report this one duplicates."),
    "empty_question": N_("Write a question for the reporter."),
    "question_too_long": N_("The question is too long."),
    "reporter_unreachable": N_("The reporter cannot be reached: they have removed the link to their reports."),
    "no_proposal": N_("There is no verification waiting for confirmation."),
    "same_monitor": N_("A second monitor must confirm: you proposed this verification yourself."),
    "incident_gone": N_("The proposed incident no longer exists; verify again."),
    "token_form_used": N_("That form was used already, so no new token was made: a token is shown only once. Create another one if you need it."),
    # working together
    "bulk_nothing": N_("Select at least one report and an action."),
    "bad_assignee": N_("Choose an active monitor or admin."),
    "empty_comment": N_("Write a comment."),
    "comment_too_long": N_("The comment is too long: 4,000 characters at most."),
    # incidents
    "merge_into_itself": N_("An incident cannot be merged into itself."),
    "different_types": N_("Only incidents of the same report type can be merged."),
    "negative_count": N_("Counts cannot be negative."),
    "min_above_max": N_("A minimum cannot be above its maximum."),
    "not_editable": N_("That field cannot be edited."),
    # accounts
    "bad_name": N_("The name must be 1 to 64 characters."),
    "name_taken": N_("An account with that name exists already."),
    "password_too_short": N_("The password is too short: use 10 characters or more."),
    "wrong_password": N_("The current password is not right."),
    "bad_role": N_("Choose a role."),
    "cannot_demote_self": N_("You cannot take the admin role away from yourself."),
    "cannot_deactivate_self": N_("You cannot deactivate your own account."),
    "bad_language": N_("Choose a language."),
    "bad_code": N_("That code is not right. Use the current code from your app, or a recovery code."),
    "totp_not_enabled": N_("Two-factor authentication is not turned on."),
    "bad_credentials": N_("Wrong name or password."),
    "inactive": N_("This account is deactivated."),
    "not_for_desk": N_("This account is for the API only and cannot use the review desk."),
    "throttled_account": N_("Too many failed log-ins for this account. Try again in %(minutes)s minutes."),
    "throttled_address": N_("Too many failed log-ins from this network. Try again in %(minutes)s minutes."),
    "session_expired": N_("Your session has ended. Please log in again."),
    "csrf": N_("This form has expired or did not come from the desk. Reload the page and try again."),
    "media_unavailable": N_("This file cannot be shown."),
}

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
