"""The services' one error: `DomainError(code, **params)`, a code naming why a request cannot be
carried out, and the one place its message is kept (a msgid with %(name)s placeholders, translated
where it is shown: the desk's flash messages, the API, the command line)."""

from __future__ import annotations

from typing import Any

from harmwatch.i18n import N_, gettext


class DomainError(Exception):
    """A refusal by a service. `code` names why (tests and logs read it); `params` fill the
    message's placeholders; `field`, when a param, names the form field at fault."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def field(self) -> str | None:
        return self.params.get("field")

    @property
    def message_code(self) -> str:
        """The MESSAGES key of this refusal (the code itself unless a subclass says otherwise)."""
        return self.code

    @property
    def msgid(self) -> str:
        """The English message (a msgid), placeholders unfilled."""
        return MESSAGES.get(self.message_code, FALLBACK)

    def text(self, lang: str) -> str:
        """The message in a language, placeholders filled (a field keeps its name)."""
        try:
            return gettext(lang, self.msgid, **self.params)
        except (KeyError, ValueError, TypeError):
            return gettext(lang, self.msgid)


MESSAGES: dict[str, str] = {
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
    "decided": N_("This report has been decided. To change the decision, reopen it with a reason."),
    "not_decided": N_("Only a verified or rejected report can be reopened."),
    "reason_required": N_("Give a reason: it is kept in the audit log."),
    "reason_too_long": N_("The reason is too long: use at most 1000 characters."),
    "incident_merged": N_("That incident was merged into another one: choose the one it was merged into."),
    # working together
    "bad_assignee": N_("Choose an active monitor or admin."),
    "empty_comment": N_("Write a comment."),
    "comment_too_long": N_("The comment is too long: 4,000 characters at most."),
    # incidents
    "merge_into_itself": N_("An incident cannot be merged into itself."),
    "different_types": N_("Only incidents of the same report type can be merged."),
    "negative_count": N_("Counts cannot be negative."),
    "min_above_max": N_("A minimum cannot be above its maximum."),
    "not_editable": N_("That field cannot be edited."),
    "unknown_pcode": N_("%(field)s: %(pcode)s is not a place in the gazetteer."),
    "adm2_outside_adm1": N_("District: %(pcode)s is not in the governorate %(adm1)s."),
    "part_above_total": N_("%(field)s cannot be more than the total it is part of (at most %(max)s)."),
    "precision_needs_point": N_("A place precision needs a point: enter the latitude and longitude, or leave "
                                "the precision empty."),
    "point_needs_both": N_("%(field)s: a point needs both latitude and longitude."),
    "merged": N_("This incident was merged into another one and cannot change any more."),
    "no_verified_report": N_("This incident has no verified report: verify a report into it before publishing."),
    "already_withdrawn": N_("This incident is withdrawn already."),
    "not_withdrawn": N_("Only a withdrawn incident can be reopened."),
    "stale": N_("This incident was changed by someone else since you opened the page. Nothing was saved: "
                "look at the current version and try again."),
    "nothing_to_merge": N_("Enter the numbers of the incidents to merge into this one."),
    "bad_choice": N_("Choose one of the offered values."),
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
    "media_unavailable": N_("This file cannot be shown."),
    "not_for_api": N_("API tokens are for ngo accounts only."),
    # the NGO API's paging (CursorError, by the parameter it came in)
    "cursor_invalid": N_("This cursor is not valid: pass next_cursor exactly as you received it."),
    "cursor_expired": N_("This cursor has expired: start again without it, or use updated_since."),
    "cursor_other_filters": N_("This cursor was made for other filters: keep the filters while paging."),
    "cursor_future": N_("This cursor is ahead of every change here: it comes from another database, or from before "
                   "a restore. Start again without it."),
    "position_invalid": N_("This position is not valid: pass next_position exactly as you received it."),
    "position_other_filters": N_("This position was made for other filters: keep the filters from one call to the next."),
    "position_future": N_("This position is ahead of every change here: it comes from another database, or from before "
                   "a restore. Start again without it."),
}

# A code without a message (a bug) still tells the user the change was refused.
FALLBACK = MESSAGES["illegal_transition"]
