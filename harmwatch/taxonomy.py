"""The stable codes reports are written in (DOMAIN.md) and their English labels, marked for
translation. Codes are stored and exported: they never change with the language or the wording."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Any

from harmwatch.i18n import N_
from harmwatch.reports.enums import (
    Corroboration,
    GeoPrecision,
    Grade,
    RejectReason,
    ReportStatus,
    ReportType,
    TimePrecision,
)


class EventType(StrEnum):
    """ACLED sub-event types in which civilians are harmed."""

    AIR_DRONE_STRIKE = "air_drone_strike"
    SHELLING_ARTILLERY_MISSILE = "shelling_artillery_missile"
    REMOTE_EXPLOSIVE_LANDMINE_IED = "remote_explosive_landmine_ied"
    SUICIDE_BOMB = "suicide_bomb"
    GRENADE = "grenade"
    CHEMICAL_WEAPON = "chemical_weapon"
    ARMED_CLASH = "armed_clash"
    ATTACK_ON_CIVILIANS = "attack_on_civilians"
    ABDUCTION_FORCED_DISAPPEARANCE = "abduction_forced_disappearance"
    SEXUAL_VIOLENCE = "sexual_violence"
    ARREST_DETENTION = "arrest_detention"
    OTHER = "other"


class Weapon(StrEnum):
    UNGUIDED_BOMB = "unguided_bomb"
    GUIDED_MUNITION = "guided_munition"
    BARREL_BOMB = "barrel_bomb"
    CLUSTER_MUNITION = "cluster_munition"
    ROCKET = "rocket"
    MISSILE = "missile"
    MORTAR = "mortar"
    ARTILLERY_SHELL = "artillery_shell"
    DRONE = "drone"
    SMALL_ARMS = "small_arms"
    LANDMINE = "landmine"
    IED = "ied"
    UNKNOWN = "unknown"
    OTHER = "other"


class ObjectHit(StrEnum):
    HOME = "home"
    MARKET = "market"
    SCHOOL = "school"
    HOSPITAL_CLINIC = "hospital_clinic"
    PLACE_OF_WORSHIP = "place_of_worship"
    WATER_POWER_FACILITY = "water_power_facility"
    BAKERY = "bakery"
    SHELTER_CAMP = "shelter_camp"
    AID_CONVOY_WAREHOUSE = "aid_convoy_warehouse"
    ROAD_BRIDGE = "road_bridge"
    FARM = "farm"
    OTHER = "other"


class AccessConstraint(StrEnum):
    """The nine ACAPS/OCHA humanitarian access indicators; see ACCESS_INDICATORS for pillars."""

    DENIAL_OF_NEEDS = "denial_of_needs"
    RESTRICTION_OF_PEOPLE_ACCESS = "restriction_of_people_access"
    IMPEDIMENTS_TO_ENTRY = "impediments_to_entry"
    MOVEMENT_RESTRICTION = "movement_restriction"
    INTERFERENCE_IN_ACTIVITIES = "interference_in_activities"
    VIOLENCE_AGAINST_AID_WORKERS = "violence_against_aid_workers"
    ONGOING_HOSTILITIES = "ongoing_hostilities"
    EXPLOSIVE_ORDNANCE = "explosive_ordnance"
    PHYSICAL_CONSTRAINTS = "physical_constraints"


class ActorType(StrEnum):
    """Who was kept from giving or receiving aid."""

    UN_AGENCY = "un_agency"
    INTERNATIONAL_NGO = "international_ngo"
    LOCAL_NGO = "local_ngo"
    RED_CROSS_RED_CRESCENT = "red_cross_red_crescent"
    HEALTH_WORKERS = "health_workers"
    CIVIL_DEFENCE = "civil_defence"
    COMMUNITY = "community"
    OTHER = "other"


class Sector(StrEnum):
    FOOD = "food"
    HEALTH = "health"
    WATER_SANITATION = "water_sanitation"
    SHELTER = "shelter"
    PROTECTION = "protection"
    EDUCATION = "education"
    FUEL = "fuel"
    OTHER = "other"


class Source(StrEnum):
    """How the reporter knows."""

    SELF = "self"
    WITNESS = "witness"
    RELATIVE = "relative"
    MEDICAL_STAFF = "medical_staff"
    LOCAL_AUTHORITY = "local_authority"
    LOCAL_MEDIA = "local_media"
    SOCIAL_MEDIA = "social_media"
    OTHER = "other"


class Duration(StrEnum):
    ONE_OFF = "one_off"
    DAYS = "days"
    WEEKS = "weeks"
    ONGOING_SIEGE = "ongoing_siege"


class Resolved(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class TimeOfDay(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    NIGHT = "night"


@dataclass(frozen=True)
class AccessIndicator:
    pillar: int  # 1 people's access to aid, 2 aid's access to people, 3 security and terrain
    number: int  # 1..9, as ACAPS numbers them


ACCESS_INDICATORS: Mapping[AccessConstraint, AccessIndicator] = MappingProxyType({
    code: AccessIndicator(pillar=1 if n <= 2 else 2 if n <= 6 else 3, number=n)
    for n, code in enumerate(AccessConstraint, start=1)
})

@dataclass(frozen=True)
class AcledType:
    event_type: str      # ACLED's event type, as ACLED writes it
    sub_event_type: str  # ACLED's sub-event type, as ACLED writes it


# Each harm event type as ACLED codes it (ACLED Codebook): what an analyst joins ACLED data on.
# "other" has no ACLED equivalent.
_EXPLOSIONS = "Explosions/Remote violence"
_VIOLENCE = "Violence against civilians"
ACLED: Mapping[EventType, AcledType] = MappingProxyType({
    EventType.AIR_DRONE_STRIKE: AcledType(_EXPLOSIONS, "Air/drone strike"),
    EventType.SHELLING_ARTILLERY_MISSILE: AcledType(_EXPLOSIONS, "Shelling/artillery/missile attack"),
    EventType.REMOTE_EXPLOSIVE_LANDMINE_IED: AcledType(_EXPLOSIONS, "Remote explosive/landmine/IED"),
    EventType.SUICIDE_BOMB: AcledType(_EXPLOSIONS, "Suicide bomb"),
    EventType.GRENADE: AcledType(_EXPLOSIONS, "Grenade"),
    EventType.CHEMICAL_WEAPON: AcledType(_EXPLOSIONS, "Chemical weapon"),
    EventType.ARMED_CLASH: AcledType("Battles", "Armed clash"),
    EventType.ATTACK_ON_CIVILIANS: AcledType(_VIOLENCE, "Attack"),
    EventType.ABDUCTION_FORCED_DISAPPEARANCE: AcledType(_VIOLENCE, "Abduction/forced disappearance"),
    EventType.SEXUAL_VIOLENCE: AcledType(_VIOLENCE, "Sexual violence"),
    EventType.ARREST_DETENTION: AcledType("Strategic developments", "Arrests"),
})

ACCESS_PILLARS: Mapping[int, str] = MappingProxyType({
    1: N_("People in need cannot reach aid"),
    2: N_("Aid workers cannot reach people in need"),
    3: N_("Insecurity and physical obstacles"),
})

# One table per kind, in the order choices are offered. The kind names are public (API, desk).
_LABELS: dict[str, Mapping[Any, str]] = {
    "event_type": {
        EventType.AIR_DRONE_STRIKE: N_("Air or drone strike"),
        EventType.SHELLING_ARTILLERY_MISSILE: N_("Shelling, artillery or missile attack"),
        EventType.REMOTE_EXPLOSIVE_LANDMINE_IED: N_("Explosive device, landmine or IED"),
        EventType.SUICIDE_BOMB: N_("Suicide bombing"),
        EventType.GRENADE: N_("Grenade"),
        EventType.CHEMICAL_WEAPON: N_("Chemical weapon"),
        EventType.ARMED_CLASH: N_("Armed clash"),
        EventType.ATTACK_ON_CIVILIANS: N_("Attack on civilians (shooting, beating)"),
        EventType.ABDUCTION_FORCED_DISAPPEARANCE: N_("Abduction or forced disappearance"),
        EventType.SEXUAL_VIOLENCE: N_("Sexual violence"),
        EventType.ARREST_DETENTION: N_("Arrest or detention"),
        EventType.OTHER: N_("Something else"),
    },
    "weapon": {
        Weapon.UNGUIDED_BOMB: N_("Unguided bomb"),
        Weapon.GUIDED_MUNITION: N_("Guided bomb or missile"),
        Weapon.BARREL_BOMB: N_("Barrel bomb"),
        Weapon.CLUSTER_MUNITION: N_("Cluster munition"),
        Weapon.ROCKET: N_("Rocket"),
        Weapon.MISSILE: N_("Missile"),
        Weapon.MORTAR: N_("Mortar"),
        Weapon.ARTILLERY_SHELL: N_("Artillery shell"),
        Weapon.DRONE: N_("Drone"),
        Weapon.SMALL_ARMS: N_("Guns (small arms)"),
        Weapon.LANDMINE: N_("Landmine"),
        Weapon.IED: N_("Improvised explosive device (IED)"),
        Weapon.UNKNOWN: N_("Unknown"),
        Weapon.OTHER: N_("Other"),
    },
    "object_hit": {
        ObjectHit.HOME: N_("Home"),
        ObjectHit.MARKET: N_("Market or shop"),
        ObjectHit.SCHOOL: N_("School"),
        ObjectHit.HOSPITAL_CLINIC: N_("Hospital or clinic"),
        ObjectHit.PLACE_OF_WORSHIP: N_("Place of worship"),
        ObjectHit.WATER_POWER_FACILITY: N_("Water or power facility"),
        ObjectHit.BAKERY: N_("Bakery"),
        ObjectHit.SHELTER_CAMP: N_("Shelter or camp"),
        ObjectHit.AID_CONVOY_WAREHOUSE: N_("Aid convoy or warehouse"),
        ObjectHit.ROAD_BRIDGE: N_("Road or bridge"),
        ObjectHit.FARM: N_("Farm or field"),
        ObjectHit.OTHER: N_("Other"),
    },
    "access_constraint": {
        AccessConstraint.DENIAL_OF_NEEDS: N_("Needs or the right to aid denied"),
        AccessConstraint.RESTRICTION_OF_PEOPLE_ACCESS: N_("People kept from reaching aid or services"),
        AccessConstraint.IMPEDIMENTS_TO_ENTRY: N_("Entry blocked (permits, visas, paperwork)"),
        AccessConstraint.MOVEMENT_RESTRICTION: N_("Movement blocked (checkpoints, roadblocks, siege)"),
        AccessConstraint.INTERFERENCE_IN_ACTIVITIES: N_("Aid interfered with (diverted, looted, seized)"),
        AccessConstraint.VIOLENCE_AGAINST_AID_WORKERS: N_("Violence against aid workers or aid sites"),
        AccessConstraint.ONGOING_HOSTILITIES: N_("Fighting or insecurity"),
        AccessConstraint.EXPLOSIVE_ORDNANCE: N_("Mines or explosive remnants"),
        AccessConstraint.PHYSICAL_CONSTRAINTS: N_("Roads, bridges or weather"),
    },
    "actor_type": {
        ActorType.UN_AGENCY: N_("UN agency"),
        ActorType.INTERNATIONAL_NGO: N_("International NGO"),
        ActorType.LOCAL_NGO: N_("Local NGO"),
        ActorType.RED_CROSS_RED_CRESCENT: N_("Red Cross or Red Crescent"),
        ActorType.HEALTH_WORKERS: N_("Health workers"),
        ActorType.CIVIL_DEFENCE: N_("Civil defence"),
        ActorType.COMMUNITY: N_("The community"),
        ActorType.OTHER: N_("Other"),
    },
    "sector": {
        Sector.FOOD: N_("Food"),
        Sector.HEALTH: N_("Health"),
        Sector.WATER_SANITATION: N_("Water and sanitation"),
        Sector.SHELTER: N_("Shelter"),
        Sector.PROTECTION: N_("Protection"),
        Sector.EDUCATION: N_("Education"),
        Sector.FUEL: N_("Fuel"),
        Sector.OTHER: N_("Other"),
    },
    "source": {
        Source.SELF: N_("I saw it myself"),
        Source.WITNESS: N_("A witness told me"),
        Source.RELATIVE: N_("A relative of a victim"),
        Source.MEDICAL_STAFF: N_("Medical staff"),
        Source.LOCAL_AUTHORITY: N_("Local authorities"),
        Source.LOCAL_MEDIA: N_("Local media"),
        Source.SOCIAL_MEDIA: N_("Social media"),
        Source.OTHER: N_("Other"),
    },
    "duration": {
        Duration.ONE_OFF: N_("It happened once"),
        Duration.DAYS: N_("For some days"),
        Duration.WEEKS: N_("For weeks"),
        Duration.ONGOING_SIEGE: N_("It is still going on (siege)"),
    },
    "resolved": {
        Resolved.YES: N_("Yes"),
        Resolved.NO: N_("No"),
        Resolved.UNKNOWN: N_("I don't know"),
    },
    "time_of_day": {
        TimeOfDay.MORNING: N_("Morning"),
        TimeOfDay.AFTERNOON: N_("Afternoon"),
        TimeOfDay.EVENING: N_("Evening"),
        TimeOfDay.NIGHT: N_("Night"),
    },
    "report_type": {
        ReportType.HARM: N_("Harm to civilians"),
        ReportType.ACCESS: N_("Aid blocked or attacked"),
    },
    "report_status": {
        ReportStatus.SUBMITTED: N_("Submitted"),
        ReportStatus.IN_REVIEW: N_("In review"),
        ReportStatus.NEEDS_INFO: N_("Waiting for more information"),
        ReportStatus.VERIFIED: N_("Verified"),
        ReportStatus.REJECTED: N_("Rejected"),
    },
    "grade": {
        Grade.CONFIRMED: N_("Confirmed"),
        Grade.FAIR: N_("Fair"),
        Grade.WEAK: N_("Weak"),
        Grade.CONTESTED: N_("Contested"),
        Grade.DISCOUNTED: N_("Discounted"),
    },
    "reject_reason": {
        RejectReason.NOT_CREDIBLE: N_("Not credible"),
        RejectReason.OUT_OF_SCOPE: N_("Out of scope"),
        RejectReason.DUPLICATE: N_("Duplicate"),
        RejectReason.SPAM: N_("Spam or abuse"),
        RejectReason.INSUFFICIENT: N_("Not enough information"),
    },
    "corroboration": {
        Corroboration.CONFIRMS: N_("Confirms"),
        Corroboration.INCONCLUSIVE: N_("Inconclusive"),
        Corroboration.CONTRADICTS: N_("Contradicts"),
    },
    "time_precision": {
        TimePrecision.EXACT_DAY: N_("That exact day"),
        TimePrecision.WITHIN_WEEK: N_("Within a week of that day"),
        TimePrecision.WITHIN_MONTH: N_("Within a month of that day"),
    },
    "geo_precision": {
        GeoPrecision.EXACT: N_("The exact spot"),
        GeoPrecision.NEAR: N_("Near it (within 1 km)"),
        GeoPrecision.TOWN: N_("Somewhere in the town"),
        GeoPrecision.DISTRICT: N_("Somewhere in the district"),
        GeoPrecision.REGION: N_("Somewhere in the region"),
    },
}
LABELS: Mapping[str, Mapping[Any, str]] = MappingProxyType(
    {kind: MappingProxyType(table) for kind, table in _LABELS.items()}
)


def _key(code: object) -> object:
    # Integer codes (time precision) may arrive as text from a form or a query string.
    if isinstance(code, str) and code.isascii() and code.isdigit():
        return int(code)
    return code


def label(kind: str, code: object) -> str:
    """The English msgid for a code (translate it where it is shown). KeyError if unknown."""
    table = LABELS[kind]
    try:
        return table[code]
    except KeyError:
        return table[_key(code)]


def codes(kind: str) -> tuple[Any, ...]:
    """The codes of a kind, in the order they are offered."""
    return tuple(c.value if isinstance(c, Enum) else c for c in LABELS[kind])


def taxonomy() -> dict[str, list[dict[str, Any]]]:
    """Every kind with its codes and label msgids, JSON-ready, for the API and the desk."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, table in LABELS.items():
        entries = []
        for code, msgid in table.items():
            entry: dict[str, Any] = {"code": code.value if isinstance(code, Enum) else code, "label_msgid": msgid}
            if kind == "access_constraint":
                indicator = ACCESS_INDICATORS[code]
                entry.update(pillar=indicator.pillar, number=indicator.number)
            entries.append(entry)
        out[kind] = entries
    return out
