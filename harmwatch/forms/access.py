"""The access form: humanitarian aid blocked or attacked, by the nine ACAPS/OCHA indicators
(DOMAIN.md). Order: what happened, where, when, how many, then the details."""

from __future__ import annotations

from harmwatch import deployment as deployments
from harmwatch.deployment import Deployment
from harmwatch.forms import questions
from harmwatch.forms.model import Export, Form, Kind, Question, chosen, options_of
from harmwatch.i18n import N_
from harmwatch.reports.enums import ReportType
from harmwatch.taxonomy import AccessConstraint as C

# Aid workers are counted only where the constraint can hurt or take them.
_HURT = {C.VIOLENCE_AGAINST_AID_WORKERS, C.ONGOING_HOSTILITIES, C.EXPLOSIVE_ORDNANCE}
_ABDUCTED = {C.VIOLENCE_AGAINST_AID_WORKERS}
_DETAINED = {C.VIOLENCE_AGAINST_AID_WORKERS, C.MOVEMENT_RESTRICTION, C.IMPEDIMENTS_TO_ENTRY,
             C.INTERFERENCE_IN_ACTIVITIES}

# How the exported answers are published (their export columns: harmwatch.exports.columns).
SECTORS = Export("sector", "#sector", "Aid sectors affected (codes).", ["food", "health"], listed=True, order=30)
ACTOR_TYPES = Export("actor_type", "#org+type", "Kinds of aid actors affected (codes).", ["local_ngo"],
                     name="actor_types", listed=True, order=40)
DURATION = Export("duration", "#access+duration", "How long the constraint lasted (code).", "days", order=60)
RESOLVED = Export("resolved", "#status+resolved", "Whether the constraint was resolved: yes, no or unknown.", "no",
                  order=70)



def access_form(deployment: Deployment) -> Form:
    """The access form of a deployment (its earliest date)."""
    return Form(
        id="access",
        version=1,
        report_type=ReportType.ACCESS,
        title=N_("Aid blocked or attacked"),
        earliest_date=deployment.earliest_date,
        questions=(
            Question("constraint", Kind.CHOICE, N_("What stopped or harmed the aid?"),
                     options=options_of("access_constraint"), column="access_constraint"),
            *questions.where(),
            *questions.when(),
            questions.count("aid_workers_killed", N_("How many aid workers were killed?"), max_value=1000,
                            when=chosen("constraint", _HURT)),
            questions.count("aid_workers_injured", N_("How many aid workers were injured?"), max_value=1000,
                            when=chosen("constraint", _HURT)),
            questions.count("aid_workers_abducted", N_("How many aid workers were abducted?"), max_value=1000,
                            when=chosen("constraint", _ABDUCTED)),
            # Detentions have no Report column yet: they stay in the answers.
            questions.count("aid_workers_detained", N_("How many aid workers were detained?"), max_value=1000,
                            required=False, when=chosen("constraint", _DETAINED), in_report_columns=False),
            questions.count("people_not_reached", N_("About how many people could not get aid because of this?"),
                     short=N_("People who could not get aid"),
                            required=False, max_value=10_000_000),
            Question("actor_type", Kind.MULTI_CHOICE, N_("Who was affected? Choose all that apply, then tap Done."),
                     short=N_("Who was affected"),
                     options=options_of("actor_type"), export=ACTOR_TYPES),
            Question("sectors", Kind.MULTI_CHOICE, N_("Which kinds of aid were affected? Choose all that apply, "
                                                      "then tap Done."), short=N_("Kinds of aid affected"),
                     required=False, options=options_of("sector"), export=SECTORS),
            Question("duration", Kind.CHOICE, N_("How long did it last?"), options=options_of("duration"),
                     export=DURATION),
            Question("resolved", Kind.CHOICE, N_("Is it resolved now?"), options=options_of("resolved"),
                     export=RESOLVED),
            *questions.closing(),
        ),
    )


ACCESS_FORM = access_form(deployments.current())
