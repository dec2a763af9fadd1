"""What a deployment publishes about itself and how precisely: the country, the licence, the
organisation and its methodology, and per event type a publication rule (settings.py) that holds
back the day, the point, the admin-2 area or the summary of sensitive events in every format."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from harmwatch.exports.columns import Detail
from harmwatch.settings import PublicationRule, Settings, get_settings


def withholds(rule: PublicationRule, detail: Detail) -> bool:
    """Whether `rule` holds `detail` back."""
    if detail is Detail.DAY:
        return rule.date != "day"
    if detail is Detail.POINT:
        return rule.place != "point"
    if detail is Detail.ADM2:
        return rule.place == "adm1"
    return not rule.summary


@dataclass(frozen=True, slots=True)
class Publication:
    country_code: str = "SYR"
    rules: Mapping[str, PublicationRule] = field(default_factory=lambda: MappingProxyType({}))
    licence: str = ""
    licence_url: str = ""
    organisation: str = ""
    organisation_url: str = ""
    methodology: str = ""

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Publication:
        settings = settings or get_settings()
        return cls(country_code=settings.country_code, rules=MappingProxyType(dict(settings.publication_rules)),
                   licence=settings.data_licence, licence_url=settings.data_licence_url,
                   organisation=settings.data_organisation, organisation_url=settings.data_organisation_url,
                   methodology=settings.data_methodology)

    def withholding(self, detail: Detail) -> list[str]:
        """The event types whose rule holds `detail` back, in a stable order."""
        return sorted(code for code, rule in self.rules.items() if withholds(rule, detail))
