"""The queue's filters as they travel in a query string: parsed and checked (a bad value is
reported and left out), and written back for links that keep them."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request

from api.desk import validation as check
from api.desk.templating import invalid
from harmwatch import taxonomy
from harmwatch.i18n import LANGUAGES, N_
from harmwatch.review import queue

FILTER_KEYS = ("status", "type", "category", "adm1", "adm2", "from", "to", "lang", "media", "grade", "reporter",
               "q", "assigned", "awaiting", "sort")


def parse_filter(request: Request, params) -> queue.QueueFilter:
    """The queue's filters from a query string; a bad value is reported and left out."""
    values: dict = {}
    categories = [str(c) for c in (*taxonomy.codes("event_type"), *taxonomy.codes("access_constraint"))]
    fields = {
        "status": lambda v: None if v == "all" else check.code(v, N_("State"), "report_status", required=False),
        "report_type": lambda v: check.code(v, N_("Type"), "report_type", required=False),
        "category": lambda v: check.choice(v, N_("Event or constraint"), categories, required=False),
        "adm1": lambda v: check.text(v, N_("Governorate"), max_length=16) or None,
        "adm2": lambda v: check.text(v, N_("District"), max_length=16) or None,
        "occurred_from": lambda v: check.day(v, N_("From"), not_future=False),
        "occurred_to": lambda v: check.day(v, N_("To"), not_future=False),
        "lang": lambda v: check.choice(v, N_("Language"), list(LANGUAGES), required=False),
        "has_media": lambda v: {"yes": True, "no": False}.get(check.choice(v, N_("Media"), ["yes", "no"],
                                                                            required=False)),
        "grade": lambda v: check.code(v, N_("Grade"), "grade", required=False),
        "pseudonym": lambda v: check.text(v, N_("Reporter"), max_length=32) or None,
        "text": lambda v: check.text(v, N_("Search"), max_length=200) or None,
        "sort": lambda v: check.choice(v, N_("Sort"), list(queue.SORTS), required=False) or "newest",
    }
    names = {"report_type": "type", "occurred_from": "from", "occurred_to": "to", "has_media": "media",
             "pseudonym": "reporter", "text": "q"}
    for field, parse in fields.items():
        raw = params.get(names.get(field, field))
        if field == "status" and raw is None:
            continue  # the default: submitted
        try:
            values[field] = parse(raw)
        except check.Invalid as problem:
            invalid(request, problem)
    if params.get("assigned") == "me" and getattr(request.state, "user", None) is not None:
        values["assigned_to"] = request.state.user.id
    if params.get("awaiting") == "confirmation":
        values["awaiting_confirmation"] = True
    return queue.QueueFilter(**values)


def query_string(params, **changes) -> str:
    kept = {k: params.get(k) for k in FILTER_KEYS if params.get(k)}
    kept.update({k: v for k, v in changes.items() if v is not None})
    return urlencode(kept)
