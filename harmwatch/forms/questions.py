"""Questions both forms ask in the same words — where, when, counts, description, files — so a
change to one of them is one edit here."""

from __future__ import annotations

from harmwatch.deployment import Deployment
from harmwatch.forms.model import (
    NONE_OPTION,
    Export,
    Condition,
    Kind,
    Option,
    Question,
    has_no_point,
    has_point,
    options_of,
    place_without_district,
)
from harmwatch.i18n import N_

# How the part of the day is published (its export column: harmwatch.exports.columns); sensitive
# events' publication rule holds it back with the day.
TIME_OF_DAY = Export("time_of_day", "#date+time_of_day", "Part of the day: morning, afternoon, evening or night.",
                     "morning", order=80, withheld="day")

# Before the deployment's earliest date (Syria: the start of the conflict, 2011-03-15) a date is
# almost always a typing slip, or another calendar.

COUNT_HELP = N_("Send a number like 3, or a range like 3-5. If you do not know, say so: "
                "that is not the same as none.")

# On the first screen that offers sharing a location, and on every later one (DOMAIN: safety).
SAFE_LOCATION = N_("Careful: a location you share can show where you are. Share one only if it is safe, and "
                   "move the pin to where it happened, not where you are. Never use \"current location\".")


def where() -> tuple[Question, ...]:
    return (
        # %(adm1_level)s and %(adm2_level)s: the deployment's level names ("governorate", "oblast"), see i18n.
        Question("place", Kind.PLACE, N_("Where did it happen? Choose the %(adm1_level)s, type the name of the "
                                         "town or village, or share a location."), short=N_("Place"),
                 max_length=200, help=SAFE_LOCATION),
        Question("district", Kind.PLACE, N_("Which %(adm2_level)s?"), required=False, allow_unknown=True,
                 max_length=200, level=2, within="place", when=place_without_district("place")),
        Question("location", Kind.LOCATION, N_("If it is safe, share the exact spot: use the attachment button, "
                                               "choose Location and move the pin. Or skip this."),
                                                        short=N_("Exact spot"),
                 required=False, when=has_no_point("place"),
                 help=SAFE_LOCATION),
        Question("geo_precision", Kind.CHOICE, N_("How close is that point to where it happened?"),
                 required=False, options=options_of("geo_precision"), when=has_point("place", "location"),
                 column="geo_precision"),
    )


def when() -> tuple[Question, ...]:
    return (
        Question("occurred_on", Kind.DATE, N_("On what day did it happen?"),
                 options=(Option("today", N_("Today")), Option("yesterday", N_("Yesterday"))),
                 help=N_("You can also send the date as day/month/year."), column="occurred_on"),
        Question("time_precision", Kind.CHOICE, N_("How sure are you of that day?"),
                 options=options_of("time_precision"), column="time_precision"),
        Question("time_of_day", Kind.TIME_OF_DAY, N_("At what time of day?"), required=False,
                 options=options_of("time_of_day"), column="time_of_day", export=TIME_OF_DAY),
    )


def count(question_id: str, label: str, *, required: bool = True, max_value: int = 10_000,
          when: Condition | None = None, part_of: str | None = None, in_report_columns: bool = True,
          short: str | None = None, help: str | None = None, support: bool = False) -> Question:
    """A count asked as a range, with "None" and "I don't know" buttons (unknown is not zero).
    It fills the Report columns <id>_min and <id>_max, or stays in the answers only."""
    return Question(question_id, Kind.RANGE, label, required=required, allow_unknown=True,
                    options=(NONE_OPTION,), max_value=max_value, when=when, part_of=part_of,
                    help=help or COUNT_HELP,
                    column=question_id if in_report_columns else None, short=short, support=support)


def attribution(deployment: Deployment) -> Question:
    """Who did it, as the reporter says: the parties to the conflict as buttons (when the
    deployment names them), "I don't know", or their own words."""
    return Question("attribution", Kind.TEXT, N_("Who do you think did it? Tap a button, write what you know, "
                                                 "or tap I don't know.") if deployment.parties else
                    N_("Who do you think did it? Write what you know, or skip."),
                    short=N_("Who did it, as you say"),
                    options=tuple(Option(p.code, p.name) for p in deployment.parties),
                    required=False, allow_unknown=True, max_length=500,
                    help=N_("We keep what you say apart from what the monitors conclude."))


def closing() -> tuple[Question, ...]:
    return (
        Question("description", Kind.TEXT, N_("Is there anything else we should know? Describe what happened "
                                               "in your own words, or skip."), short=N_("Your description"),
                 required=False, max_length=12_000),  # a testimony: three of Telegram's longest messages
        Question("media", Kind.MEDIA, N_("Do you have photos or documents? Send them now, then tap "
                                         "Done. Or skip."), short=N_("Files"),
                 required=False, max_items=10,
                 help=N_("Only the review team sees your files. They are never published.")),
    )
