"""Small factories: each test makes the data it needs, and nothing else."""

from __future__ import annotations

import dataclasses
import secrets
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.accounts.models import Role, User
from harmwatch.accounts.service import create_user
from harmwatch.forms import FORM_VERSIONS, FORMS, Form, Question
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Report
from harmwatch.reports.service import new_ref_code
from harmwatch.settings import Settings
from harmwatch.reporters.service import get_or_create_reporter


async def make_user(session: AsyncSession, *, role: Role = Role.MONITOR, name: str | None = None,
                    password: str | None = "correct horse battery") -> User:
    return await create_user(session, name=name or f"user-{secrets.token_hex(3)}", role=role, password=password)


async def make_reporter(session: AsyncSession, settings: Settings, *, telegram_user_id: int | None = None,
                        lang: str = "en") -> Reporter:
    user_id = telegram_user_id or secrets.randbelow(10**9) + 10**9
    return await get_or_create_reporter(session, settings, telegram_user_id=user_id, chat_id=user_id, lang=lang)


async def make_report(session: AsyncSession, *, reporter: Reporter | None = None, **overrides: Any) -> Report:
    fields: dict[str, Any] = {
        "ref_code": new_ref_code(),
        "report_type": "harm",
        "form_id": "harm",
        "lang": "en",
        "occurred_on": date(2026, 11, 20),
        "adm1_pcode": "SY02",
        "adm2_pcode": "SY0200",
        "event_type": "shelling_artillery_missile",
        "killed_min": 2,
        "killed_max": 4,
        "answers": {"description": "Shelling hit the market."},
        "reporter_id": reporter.id if reporter else None,
    }
    fields.update(overrides)
    report = Report(**fields)
    session.add(report)
    await session.flush()
    return report


def new_form_version(monkeypatch, form: Form, *, labels: dict[str, str] | None = None,
                     added: tuple[Question, ...] = ()) -> Form:
    """The next version of `form`, current for this test only (earlier versions stay readable):
    some questions relabelled, new questions added before the closing two."""
    questions = [dataclasses.replace(q, label=(labels or {}).get(q.id, q.label)) for q in form.questions]
    changed = dataclasses.replace(form, version=form.version + 1,
                                  questions=(*questions[:-2], *added, *questions[-2:]))
    monkeypatch.setitem(FORM_VERSIONS, (changed.id, changed.version), changed)
    monkeypatch.setitem(FORMS, changed.id, changed)
    return changed
