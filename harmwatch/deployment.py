"""What differs between conflicts, read from one TOML file (`HARMWATCH_CONFIG`): the country,
the earliest date a report may give, the parties to the conflict offered for attribution, the
names of the admin levels, the data licence and the deployment's own gazetteer. Unset: the
built-in Syria deployment. Every bad key is refused with its name (`DeploymentError`)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from harmwatch import i18n
from harmwatch.i18n import N_

# Level names the shipped catalogs translate; a deployment may use others, with their
# translations given in the file ({en = "state", ar = "ولاية"}).
KNOWN_LEVEL_NAMES = (
    N_("governorate"), N_("district"), N_("sub-district"), N_("community"),
    N_("oblast"), N_("raion"), N_("hromada"), N_("settlement"),
    N_("state"), N_("province"), N_("region"), N_("township"), N_("locality"), N_("village"),
)
SYRIA_LEVELS = ("governorate", "district", "sub-district", "community")
KEYS = {"country", "earliest_date", "parties", "admin_levels", "licence", "places", "support_service"}
COUNTRY_KEYS = {"iso3", "name"}
PARTY_KEYS = {"code", "name"}
ISO3 = re.compile(r"^[A-Z]{3}$")
PARTY_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RESERVED_CODES = {"unknown", "none", "other"}


class DeploymentError(ValueError):
    """A deployment file that cannot be used; `key` names the setting (e.g. `parties[2].code`)."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(f"{key}: {message}")


@dataclass(frozen=True, slots=True)
class Party:
    """A party to the conflict, offered as an attribution button. `name` is the English name
    (the msgid); `names` its translations by language."""

    code: str
    name: str
    names: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Deployment:
    country_iso3: str = "SYR"
    country_name: str = "Syria"
    earliest_date: date = date(2011, 3, 15)  # the start of the Syrian conflict
    parties: tuple[Party, ...] = ()  # none: attribution is the reporter's own words only
    # English names of admin levels 1, 2, …; translated by the catalogs or by `terms`.
    admin_levels: tuple[str, ...] = SYRIA_LEVELS
    licence: str = "CC-BY-4.0"
    places: Path | None = None  # a gazetteer CSV; None: the built-in Syria one
    source: Path | None = None  # the file this came from
    # msgid -> {language: text}: the file's own translations (party and level names).
    terms: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    # language -> how to reach a support service for survivors of sexual violence (a name and a
    # number, a link): shown on the sexual-violence path and in /help. Empty: none is shown.
    support_service: dict[str, str] = field(default_factory=dict, compare=False)

    def support_line(self, lang: str) -> str | None:
        """The support service in the reporter's language, else in English, else the first given."""
        lines = self.support_service
        return lines.get(lang) or lines.get("en") or next(iter(lines.values()), None)

    def level_name(self, level: int) -> str:
        """The English name of an admin level (the deepest named one past the end)."""
        return self.admin_levels[min(level, len(self.admin_levels)) - 1]

    def activate(self) -> None:
        """Make the translators use this deployment's level names and its own translations."""
        global _active
        i18n.use_terms(levels=self.admin_levels, terms=self.terms)
        _active = self


DEFAULT = Deployment()
_active = DEFAULT


def active() -> Deployment:
    """The deployment last activated (what the bot shows now): the built-in one until then."""
    return _active


def load(path: str | Path) -> Deployment:
    """The deployment a TOML file describes; DeploymentError naming the first bad key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise DeploymentError("HARMWATCH_CONFIG", f"no such file: {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise DeploymentError("HARMWATCH_CONFIG", f"{path} is not valid TOML: {error}") from None
    return parse(data, base=path.parent, source=path)


def parse(data: dict[str, Any], *, base: Path = Path("."), source: Path | None = None,
          today: date | None = None) -> Deployment:
    _no_unknown(data, KEYS, "")
    terms: dict[str, dict[str, str]] = {}
    fields: dict[str, Any] = {"source": source, "terms": terms}
    if "country" in data:
        country = _table(data["country"], "country")
        _no_unknown(country, COUNTRY_KEYS, "country.")
        iso3 = country.get("iso3")
        if not isinstance(iso3, str) or not ISO3.match(iso3):
            raise DeploymentError("country.iso3", f"must be an ISO 3166 alpha-3 code such as UKR or SDN, not {iso3!r}")
        fields["country_iso3"] = iso3
        if "name" in country:
            fields["country_name"] = _name(country["name"], "country.name", terms)
    if "earliest_date" in data:
        value = data["earliest_date"]
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise DeploymentError("earliest_date", f"must be a date such as 2022-02-24 (no quotes), not {value!r}")
        if value > (today or date.today()):
            raise DeploymentError("earliest_date", f"{value} is in the future")
        fields["earliest_date"] = value
    if "parties" in data:
        fields["parties"] = _parties(data["parties"], terms)
    if "admin_levels" in data:
        levels = data["admin_levels"]
        if not isinstance(levels, list) or not 1 <= len(levels) <= 4:
            raise DeploymentError("admin_levels", "must list the names of 1 to 4 levels, admin-1 first")
        fields["admin_levels"] = tuple(_name(v, f"admin_levels[{i}]", terms) for i, v in enumerate(levels, 1))
    if "licence" in data:
        if not isinstance(data["licence"], str) or not data["licence"].strip():
            raise DeploymentError("licence", "must be a licence name, such as CC-BY-4.0")
        fields["licence"] = data["licence"].strip()
    if "places" in data:
        if not isinstance(data["places"], str) or not data["places"]:
            raise DeploymentError("places", "must be the path of a gazetteer CSV")
        places = (base / data["places"]).resolve()
        if not places.is_file():
            raise DeploymentError("places", f"no such file: {places}")
        fields["places"] = places
    if "support_service" in data:
        fields["support_service"] = _support(data["support_service"])
    return Deployment(**fields)


def _support(value: Any) -> dict[str, str]:
    """{en = "…", uk = "…"}: the support service's line in each language the deployment has it."""
    if not isinstance(value, dict) or not value:
        raise DeploymentError("support_service", "must be a table of lines by language {en = …, uk = …}")
    for lang, line in value.items():
        if lang not in i18n.LANGUAGES:
            raise DeploymentError(f"support_service.{lang}", f"not a shipped language ({', '.join(i18n.LANGUAGES)})")
        if not isinstance(line, str) or not line.strip():
            raise DeploymentError(f"support_service.{lang}", "must be a non-empty line of text")
        if len(line) > 500:
            raise DeploymentError(f"support_service.{lang}", "must be at most 500 characters")
    return {lang: line.strip() for lang, line in value.items()}


def _no_unknown(table: dict[str, Any], known: set[str], prefix: str) -> None:
    for key in table:
        if key not in known:
            raise DeploymentError(f"{prefix}{key}", f"unknown key (known: {', '.join(sorted(known))})")


def _table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DeploymentError(key, "must be a table")
    return value


def _name(value: Any, key: str, terms: dict[str, dict[str, str]]) -> str:
    """A name given as English text, or as {en = …, uk = …}; returns the English one and keeps
    the others as translations of it."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict):
        unknown = [lang for lang in value if lang not in i18n.LANGUAGES]
        if unknown:
            raise DeploymentError(f"{key}.{unknown[0]}", f"not a shipped language ({', '.join(i18n.LANGUAGES)})")
        english = value.get("en")
        if not isinstance(english, str) or not english.strip():
            raise DeploymentError(f"{key}.en", "the English name is needed")
        for lang, text in value.items():
            if not isinstance(text, str) or not text.strip():
                raise DeploymentError(f"{key}.{lang}", "must be a non-empty name")
        terms[english.strip()] = {lang: text.strip() for lang, text in value.items() if lang != "en"}
        return english.strip()
    raise DeploymentError(key, "must be a name, or a table of names by language {en = …, ar = …}")


def _parties(value: Any, terms: dict[str, dict[str, str]]) -> tuple[Party, ...]:
    if not isinstance(value, list):
        raise DeploymentError("parties", "must be a list of [[parties]] tables with code and name")
    parties: list[Party] = []
    for index, item in enumerate(value, 1):
        key = f"parties[{index}]"
        item = _table(item, key)
        _no_unknown(item, PARTY_KEYS, f"{key}.")
        code = item.get("code")
        if not isinstance(code, str) or not PARTY_CODE.match(code) or code in RESERVED_CODES:
            raise DeploymentError(f"{key}.code", f"must be a short code in lower case letters, digits and _ "
                                                 f"(not {', '.join(sorted(RESERVED_CODES))}), not {code!r}")
        if any(p.code == code for p in parties):
            raise DeploymentError(f"{key}.code", f"{code} is given twice")
        if "name" not in item:
            raise DeploymentError(f"{key}.name", "the party needs a name")
        name = _name(item["name"], f"{key}.name", terms)
        parties.append(Party(code, name, terms.get(name, {})))
    return tuple(parties)


@cache
def current() -> Deployment:
    """The deployment of this process: HARMWATCH_CONFIG's file, else the built-in Syria one."""
    from harmwatch.settings import get_settings

    path = get_settings().config
    deployment = load(path) if path else DEFAULT
    deployment.activate()
    return deployment
