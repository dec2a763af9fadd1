"""Realistic synthetic reports for demos and benchmarks: both types, every language, across
the gazetteer, some verified into published incidents. Written in batches with Core inserts."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from harmwatch import taxonomy
from harmwatch.database import Database, utcnow
from harmwatch.i18n import LANGUAGES
from harmwatch.incidents.models import Incident
from harmwatch.places.gazetteer import builtin_gazetteer
from harmwatch.privacy import crockford
from harmwatch.reports.models import Report

DESCRIPTIONS = {
    "en": "Shelling near the market in the morning; neighbours carried the wounded to the clinic.",
    "ar": "قصف قرب السوق صباحاً، ونقل الجيران الجرحى إلى المستوصف.",
    "fr": "Bombardement près du marché le matin ; les voisins ont porté les blessés au dispensaire.",
    "es": "Bombardeo cerca del mercado por la mañana; los vecinos llevaron a los heridos a la clínica.",
    "uk": "Обстріл біля ринку вранці; сусіди віднесли поранених до амбулаторії.",
    "ru": "Обстрел возле рынка утром; соседи отнесли раненых в медпункт.",
    "fa": "گلوله‌باران نزدیک بازار در صبح؛ همسایه‌ها زخمی‌ها را به درمانگاه بردند.",
}


def _range(rng: random.Random, scale: int) -> tuple[int | None, int | None]:
    """A casualty range; about one in five is unknown (None), never zero by default."""
    if rng.random() < 0.2:
        return None, None
    low = rng.randint(0, scale)
    return low, low + rng.choice((0, 0, 1, 2, 5))


class Seeder:
    """Builds rows of reports and incidents from one random generator, so runs can repeat."""

    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        places = builtin_gazetteer()
        self.districts = [(d.parent_pcode, d.pcode, d.lat, d.lon) for a in places.children(None)
                          for d in places.children(a.pcode)]
        self.now = utcnow()
        self.today = self.now.date()  # the UTC day, whatever the server's time zone
        self.event_types = [c.value for c in taxonomy.EventType]
        self.constraints = [c.value for c in taxonomy.AccessConstraint]
        self.objects = [c.value for c in taxonomy.ObjectHit]
        self.sectors = [c.value for c in taxonomy.Sector]
        self.sources = [c.value for c in taxonomy.Source]
        self.languages = list(LANGUAGES)
        self.taken: set[str] = set()

    def _fresh_code(self) -> str:
        """A reference code not drawn before in this run: 40 random bits clash about once in a
        million draws (birthday odds), and a million-row seed must not fail on that."""
        while True:
            code = "HW-" + crockford(self.rng.randbytes(5), 8)[:4] + "-" + crockford(self.rng.randbytes(5), 8)[:4]
            if code not in self.taken:
                self.taken.add(code)
                return code

    def report_rows(self, count: int) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for _ in range(count):
            adm1, adm2, lat, lon = rng.choice(self.districts)
            lang = rng.choice(self.languages)
            harm = rng.random() < 0.7
            occurred = self.today - timedelta(days=rng.randint(0, 720))
            # Reported within four days of the event, and never later than now.
            midnight = datetime.combine(occurred, datetime.min.time(), tzinfo=UTC)
            submitted = max(midnight, min(midnight + timedelta(hours=rng.randint(1, 96)),
                                          self.now - timedelta(seconds=rng.randint(1, 600))))
            row: dict[str, Any] = {
                "ref_code": self._fresh_code(),
                "report_type": "harm" if harm else "access",
                "form_id": "harm" if harm else "access",
                "form_version": 1,
                "channel": "seed",
                "lang": lang,
                "status": rng.choices(["submitted", "in_review", "needs_info", "verified", "rejected"],
                                      weights=[40, 5, 3, 35, 17])[0],
                "occurred_on": occurred,
                "time_precision": rng.choices([1, 2, 3], weights=[80, 15, 5])[0],
                "adm1_pcode": adm1,
                "adm2_pcode": adm2,
                "lat": round(lat + rng.uniform(-0.05, 0.05), 5) if lat is not None and rng.random() < 0.6 else None,
                "lon": round(lon + rng.uniform(-0.05, 0.05), 5) if lon is not None else None,
                "geo_precision": "near",
                "event_type": rng.choice(self.event_types) if harm else None,
                "access_constraint": None if harm else rng.choice(self.constraints),
                "has_media": rng.random() < 0.3,
                "answers": {
                    "description": DESCRIPTIONS[lang],
                    "sources": rng.sample(self.sources, 2),
                    **({"objects_hit": rng.sample(self.objects, 2)} if harm else
                       {"sectors": rng.sample(self.sectors, 2)}),
                },
                "assessment": {},
                "submitted_at": submitted,
                "updated_at": submitted,
            }
            if row["lat"] is None:
                row["lon"] = None
            names = ("killed", "injured", "missing") if harm else ("aid_workers_killed", "people_not_reached")
            for name in names:
                row[f"{name}_min"], row[f"{name}_max"] = _range(rng, 40 if name == "people_not_reached" else 6)
            if row["status"] == "verified":
                row["grade"] = rng.choice(["confirmed", "fair", "fair", "weak", "contested"])
            if row["status"] == "rejected":
                row["reject_reason"] = rng.choice(["not_credible", "out_of_scope", "spam", "insufficient"])
            yield row

    def incident_row(self, report: dict[str, Any]) -> dict[str, Any]:
        keys = ("report_type", "event_type", "access_constraint", "occurred_on", "time_precision", "adm1_pcode",
                "adm2_pcode", "lat", "lon", "geo_precision", "grade")
        counts = {k: v for k, v in report.items() if k.endswith(("_min", "_max"))}
        codes = {k: v for k, v in report["answers"].items() if k != "description"}
        return {
            **{k: report.get(k) for k in keys},
            **counts,
            "codes": codes,
            "export_decimals": 2,
            "summary_public": "",
            "notes_private": "",
            "state": "published" if self.rng.random() < 0.85 else "unpublished",
            "merged_into_id": None,
            "withdrawn_reason": "",
            "created_at": report["updated_at"],
            "updated_at": report["updated_at"],
        }


REPORT_COLUMNS = [c.name for c in Report.__table__.columns if c.name != "id"]


def full_row(row: dict[str, Any]) -> dict[str, Any]:
    """executemany needs every row to carry the same keys."""
    return {name: row.get(name) for name in REPORT_COLUMNS}


async def seed(db: Database, *, reports: int, batch: int = 5000, seed: int = 1) -> dict[str, int]:
    """Write `reports` synthetic reports; each verified one gets its own incident."""
    seeder = Seeder(seed)
    async with db.transaction() as session:  # codes already in use (a seed added to a seed)
        seeder.taken.update((await session.scalars(sa.select(Report.ref_code))).all())
    made = {"reports": 0, "incidents": 0}
    report_table, incident_table = Report.__table__, Incident.__table__
    remaining = reports
    while remaining > 0:
        rows = [full_row(r) for r in seeder.report_rows(min(batch, remaining))]
        remaining -= len(rows)
        async with db.transaction() as session:
            verified = [r for r in rows if r["status"] == "verified"]
            if verified:
                result = await session.execute(
                    sa.insert(incident_table).returning(incident_table.c.id, sort_by_parameter_order=True),
                    [seeder.incident_row(r) for r in verified],
                )
                for row, incident_id in zip(verified, result.scalars().all(), strict=True):
                    row["incident_id"] = incident_id
            await session.execute(sa.insert(report_table), rows)
        made["reports"] += len(rows)
        made["incidents"] += len(verified)
    return made
