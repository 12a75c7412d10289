"""The field catalogue: every case field lvvdesk keeps, from LVV-BRIEF section 4.

Storage, forms, consent scopes, exports, reports and the record of processing are derived
from this list; a field that is not here cannot be stored or exported.

Sensitivity and default exportability follow the brief:

- identity and immigration-status data are ``IDENTITY`` and leave only with consent;
- health content is ``HEALTH`` and never leaves. The one exception is ``health_advice``:
  the advice without medical details that a GGD nurse gives the LSO (Rotterdam's BRIO);
- criminal and law-enforcement data (entry ban, undesirability, detention) are ``CRIMINAL``
  and leave only with consent; the criminal record itself never leaves;
- trafficking signals are ``SPECIAL`` and never leave. Sexual orientation is not collected;
- derived fields counted in monitor tables only are ``AGGREGATE_ONLY``.

Record subfields share their parent's group, sensitivity and exportability.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lvvdesk.domain.fields import (
    Catalogue,
    Exportability,
    FieldDef,
    FieldGroup,
    FieldType,
    Sensitivity,
)
from lvvdesk.domain.labelled import LabelledEnum
from lvvdesk.domain.outflow import OutflowCategory
from lvvdesk.domain.vocabulary import (
    ActivityKind,
    AdmissionDecider,
    AgeBand,
    ArrivedFrom,
    AttachmentKind,
    AvimStatus,
    CriteriaOutcome,
    EscalationTarget,
    Gender,
    HealthCheckKind,
    LegalCheckOutcome,
    LsoDecisionKind,
    MooLevel,
    OutflowDestination,
    OutflowGroup,
    Party,
    ProcedureOutcome,
    ProcedureType,
    Region,
    RegistrationChannel,
    Scenario,
    ScenarioDecider,
    ShelterType,
    Site,
    TermEventKind,
    TrajectoryType,
)

__all__ = ["CATALOGUE", "catalogue"]

T = FieldType
S = Sensitivity
E = Exportability


@dataclass(frozen=True)
class _In:
    """Builds the field definitions of one group with that group's defaults."""

    group: FieldGroup
    sensitivity: Sensitivity = S.ORDINARY
    export: Exportability = E.WITH_CONSENT

    def __call__(
        self,
        key: str,
        label_nl: str,
        label_en: str,
        kind: FieldType,
        *,
        sensitivity: Sensitivity | None = None,
        export: Exportability | None = None,
        choices: type[LabelledEnum] | None = None,
        subfields: tuple[FieldDef, ...] = (),
        derived: bool = False,
        help_nl: str = "",
        help_en: str = "",
    ) -> FieldDef:
        sens = self.sensitivity if sensitivity is None else sensitivity
        exp = self.export if export is None else export
        return FieldDef(
            key=key,
            label_nl=label_nl,
            label_en=label_en,
            kind=kind,
            group=self.group,
            sensitivity=sens,
            export=exp,
            choices=choices,
            subfields=tuple(replace(s, sensitivity=sens, export=exp) for s in subfields),
            derived=derived,
            help_nl=help_nl,
            help_en=help_en,
        )


# ---------------------------------------------------------------------------------------
# 4.1 Person and identity
_id = _In(FieldGroup.IDENTITY, S.IDENTITY)

_IDENTITY = (
    _id(
        "client_ref",
        "Eigen cliëntnummer",
        "Client reference",
        T.TEXT,
        help_nl="Het kenmerk dat de pilot zelf gebruikt.",
        help_en="The pilot's own reference for this person.",
    ),
    _id("given_names", "Voornamen", "Given names", T.TEXT),
    _id("family_name", "Achternaam", "Family name", T.TEXT),
    _id("aliases", "Andere namen (aliassen)", "Other names (aliases)", T.TEXT_LIST),
    _id("birth_date", "Geboortedatum", "Date of birth", T.DATE),
    _id("birth_year", "Geboortejaar", "Year of birth", T.YEAR, sensitivity=S.ORDINARY),
    _id(
        "age_band",
        "Leeftijdscategorie",
        "Age band",
        T.CHOICE,
        choices=AgeBand,
        sensitivity=S.ORDINARY,
        export=E.AGGREGATE_ONLY,
        derived=True,
    ),
    _id("gender", "Gender", "Gender", T.CHOICE, choices=Gender, sensitivity=S.ORDINARY),
    _id("country_of_origin", "Land van herkomst", "Country of origin", T.COUNTRY),
    _id(
        "region_of_origin",
        "Herkomstregio",
        "Region of origin",
        T.CHOICE,
        choices=Region,
        sensitivity=S.ORDINARY,
        export=E.AGGREGATE_ONLY,
        derived=True,
    ),
    _id(
        "nationality",
        "Nationaliteit",
        "Nationality",
        T.COUNTRY,
        help_nl="De opgegeven nationaliteit.",
        help_en="The nationality as stated.",
    ),
    _id("nationality_verified", "Nationaliteit vastgesteld", "Nationality verified", T.BOOL),
    _id("stateless", "Staatloos", "Stateless", T.BOOL),
    _id("safe_country_national", "Veilige lander", "National of a safe country", T.BOOL),
    _id("correspondence_number", "Correspondentienummer", "Correspondence number", T.TEXT),
    _id(
        "avim_status",
        "Identiteitsonderzoek AVIM",
        "AVIM identity investigation",
        T.CHOICE,
        choices=AvimStatus,
    ),
    _id(
        "avim_date",
        "Datum identiteitsonderzoek AVIM",
        "Date of AVIM identity investigation",
        T.DATE,
    ),
    _id(
        "identity_research_note",
        "Eigen onderzoek naar identiteit en nationaliteit",
        "NGO research on identity and nationality",
        T.MULTILINE,
    ),
    _id("is_minor", "Minderjarig", "Minor", T.BOOL, sensitivity=S.ORDINARY),
    _id(
        "ex_amv",
        "Ex-AMV (voormalig alleenstaande minderjarige)",
        "Former unaccompanied minor (ex-AMV)",
        T.BOOL,
    ),
    _id(
        "family_unit",
        "Gezin",
        "Family unit",
        T.TEXT,
        sensitivity=S.ORDINARY,
        help_nl="Kenmerk van het gezin waartoe iemand hoort.",
        help_en="Reference of the family the person belongs to.",
    ),
    _id("languages", "Talen", "Languages", T.TEXT_LIST, sensitivity=S.ORDINARY, export=E.NEVER),
    _id(
        "interpreter_needed",
        "Tolk nodig",
        "Interpreter needed",
        T.BOOL,
        sensitivity=S.ORDINARY,
        export=E.NEVER,
    ),
    _id(
        "interpreter_language",
        "Taal van de tolk",
        "Interpreter language",
        T.TEXT,
        sensitivity=S.ORDINARY,
        export=E.NEVER,
    ),
    _id(
        "site",
        "Pilotgemeente",
        "Pilot city",
        T.CHOICE,
        choices=Site,
        sensitivity=S.ORDINARY,
        export=E.AGGREGATE_ONLY,
        derived=True,
        help_nl="Volgt uit de kluis: een kluis hoort bij één pilot.",
        help_en="Follows from the vault, which belongs to one pilot.",
    ),
)

# ---------------------------------------------------------------------------------------
# 4.2 Immigration and legal history
_im = _In(FieldGroup.IMMIGRATION, S.IDENTITY)
_imsub = _In(FieldGroup.IMMIGRATION)

_IMMIGRATION = (
    _im("v_number", "V-nummer", "V-number (IND)", T.TEXT),
    _im(
        "first_ind_application_type",
        "Soort eerste aanvraag bij de IND",
        "Type of first IND application",
        T.CHOICE,
        choices=ProcedureType,
    ),
    _im(
        "first_ind_application_date",
        "Datum eerste aanvraag bij de IND",
        "Date of first IND application",
        T.DATE,
    ),
    _im("ind_status", "Huidige status bij de IND", "Current IND status", T.TEXT),
    _im(
        "years_since_first_ind_application",
        "Jaren sinds eerste IND-aanvraag",
        "Years since first IND application",
        T.DECIMAL,
        sensitivity=S.ORDINARY,
        export=E.AGGREGATE_ONLY,
        derived=True,
        help_nl="Toelatingsdatum min datum eerste aanvraag.",
        help_en="Admission date minus date of first application.",
    ),
    _im(
        "arrival_year",
        "Jaar van aankomst in Nederland",
        "Year of arrival in the Netherlands",
        T.YEAR,
    ),
    _im(
        "years_in_netherlands",
        "Jaren in Nederland",
        "Years in the Netherlands",
        T.DECIMAL,
        sensitivity=S.ORDINARY,
        export=E.AGGREGATE_ONLY,
        derived=True,
    ),
    _im(
        "procedures",
        "Eerdere procedures bij de IND",
        "Earlier IND procedures",
        T.RECORDS,
        subfields=(
            _imsub("type", "Soort procedure", "Type of procedure", T.CHOICE, choices=ProcedureType),
            _imsub("date", "Datum", "Date", T.DATE),
            _imsub("outcome", "Uitkomst", "Outcome", T.CHOICE, choices=ProcedureOutcome),
            _imsub("ruling", "Uitspraak", "Ruling", T.TEXT),
            _imsub("note", "Toelichting", "Note", T.TEXT),
        ),
    ),
    _im(
        "hasa",
        "HASA (herhaalde asielaanvraag)",
        "Repeat asylum application (HASA)",
        T.RECORDS,
        subfields=(
            _imsub("filed", "Ingediend op", "Filed on", T.DATE),
            _imsub("decision", "Beslissing", "Decision", T.CHOICE, choices=ProcedureOutcome),
            _imsub("decision_date", "Datum beslissing", "Decision date", T.DATE),
        ),
    ),
    _im(
        "article_64",
        "Artikel 64 Vw (uitstel van vertrek)",
        "Article 64 (postponement of departure)",
        T.RECORDS,
        sensitivity=S.HEALTH,
        export=E.NEVER,
        subfields=(
            _imsub("applied", "Aangevraagd op", "Applied on", T.DATE),
            _imsub("granted", "Toegekend", "Granted", T.BOOL),
            _imsub("decision_date", "Datum beslissing", "Decision date", T.DATE),
        ),
        help_nl="Uitstel op medische gronden; het bestaan ervan zegt al iets over de "
        "gezondheid en gaat daarom nooit mee.",
        help_en="Postponement on medical grounds; its mere existence reveals health data, "
        "so it never leaves.",
    ),
    _im(
        "previous_temporary_permits",
        "Eerdere tijdelijke vergunningen",
        "Earlier temporary permits",
        T.RECORDS,
        subfields=(
            _imsub("kind", "Soort vergunning", "Kind of permit", T.TEXT),
            _imsub("start", "Van", "From", T.DATE),
            _imsub("end", "Tot", "Until", T.DATE),
        ),
    ),
    _im(
        "previous_departure_procedures",
        "Eerdere vertrekprocedures (DT&V)",
        "Earlier departure procedures (DT&V)",
        T.RECORDS,
        subfields=(
            _imsub("start", "Begonnen op", "Started on", T.DATE),
            _imsub("end", "Beëindigd op", "Ended on", T.DATE),
            _imsub("outcome", "Uitkomst", "Outcome", T.TEXT),
            _imsub("note", "Toelichting", "Note", T.TEXT),
        ),
    ),
    _im(
        "irregular_stay_periods",
        "Perioden van onrechtmatig verblijf",
        "Periods of irregular stay",
        T.RECORDS,
        export=E.NEVER,
        subfields=(
            _imsub("start", "Van", "From", T.DATE),
            _imsub("end", "Tot", "Until", T.DATE),
            _imsub("note", "Toelichting", "Note", T.TEXT),
        ),
    ),
    _im(
        "arrived_from",
        "Binnengekomen vanuit",
        "Arrived from",
        T.CHOICE,
        choices=ArrivedFrom,
        sensitivity=S.CRIMINAL,
        help_nl="Bijvoorbeeld VBL, PI of vreemdelingenbewaring.",
        help_en="For example the VBL, a prison or immigration detention.",
    ),
    _im(
        "previously_in_bbb",
        "Eerder in een BBB",
        "Previously in a BBB",
        T.BOOL,
        sensitivity=S.ORDINARY,
        export=E.AGGREGATE_ONLY,
    ),
    _im("eu_citizen", "EU-burger", "EU citizen", T.BOOL, export=E.AGGREGATE_ONLY),
    _im("dublin_claimant", "Dublinclaimant", "Dublin claimant", T.BOOL, export=E.AGGREGATE_ONLY),
    _im("entry_ban", "Inreisverbod", "Entry ban", T.BOOL, sensitivity=S.CRIMINAL),
    _im(
        "entry_ban_years",
        "Duur inreisverbod (jaren)",
        "Entry ban length (years)",
        T.INTEGER,
        sensitivity=S.CRIMINAL,
        help_nl="Tien jaar of meer is een zwaar inreisverbod.",
        help_en="Ten years or more is a heavy entry ban.",
    ),
    _im(
        "declared_undesirable",
        "Ongewenstverklaring",
        "Declared undesirable",
        T.BOOL,
        sensitivity=S.CRIMINAL,
    ),
    _im(
        "criminal_record",
        "Strafblad",
        "Criminal record",
        T.BOOL,
        sensitivity=S.CRIMINAL,
        export=E.NEVER,
    ),
    _im(
        "criminal_record_heavy",
        "Zwaar strafblad",
        "Heavy criminal record",
        T.BOOL,
        sensitivity=S.CRIMINAL,
        export=E.NEVER,
    ),
    _im(
        "criminal_record_note",
        "Toelichting strafblad",
        "Criminal record note",
        T.MULTILINE,
        sensitivity=S.CRIMINAL,
        export=E.NEVER,
    ),
    _im(
        "mayor_exception",
        "Uitzondering door de burgemeester",
        "Exception by the mayor",
        T.BOOL,
        sensitivity=S.CRIMINAL,
        help_nl="Toelating ondanks inreisverbod, strafblad of ongewenstverklaring "
        "(Groningen); het scenario is dan altijd terugkeer.",
        help_en="Admission despite an entry ban, criminal record or undesirability "
        "declaration (Groningen); the scenario is then always return.",
    ),
    _im(
        "mayor_exception_date",
        "Datum uitzondering burgemeester",
        "Date of mayor's exception",
        T.DATE,
        sensitivity=S.CRIMINAL,
    ),
    _im(
        "mayor_exception_reason",
        "Reden uitzondering burgemeester",
        "Reason for mayor's exception",
        T.TEXT,
        sensitivity=S.CRIMINAL,
    ),
    _im(
        "trafficking_signals",
        "Signalen van mensenhandel of uitbuiting",
        "Signs of trafficking or exploitation",
        T.BOOL,
        sensitivity=S.SPECIAL,
        export=E.NEVER,
    ),
    _im(
        "trafficking_note",
        "Toelichting signalen mensenhandel",
        "Note on trafficking signs",
        T.MULTILINE,
        sensitivity=S.SPECIAL,
        export=E.NEVER,
    ),
    _im(
        "asylum_account_summary",
        "Samenvatting asielrelaas",
        "Summary of the asylum account",
        T.MULTILINE,
        help_nl="Zonder gegevens over geaardheid, geloof of gezondheid.",
        help_en="Leave out sexual orientation, religion and health.",
    ),
    _im(
        "regional_ties",
        "Regiobinding",
        "Regional ties",
        T.BOOL,
        sensitivity=S.ORDINARY,
        help_nl="Extra toelatingscriterium in Eindhoven.",
        help_en="Extra admission criterion in Eindhoven.",
    ),
    _im(
        "regional_ties_note",
        "Toelichting regiobinding",
        "Note on regional ties",
        T.TEXT,
        sensitivity=S.ORDINARY,
    ),
)

# ---------------------------------------------------------------------------------------
# 4.4 Admission, participation and intake
_ad = _In(FieldGroup.ADMISSION)

_ADMISSION = (
    _ad(
        "registration_channel",
        "Wijze van aanmelding",
        "Registration channel",
        T.CHOICE,
        choices=RegistrationChannel,
    ),
    _ad("referred_by", "Aangemeld door", "Referred by", T.CHOICE, choices=Party),
    _ad("registration_date", "Datum aanmelding", "Registration date", T.DATE),
    _ad("waiting_list_since", "Op de wachtlijst sinds", "On the waiting list since", T.DATE),
    _ad(
        "criteria_check",
        "Toets aan de toelatingscriteria",
        "Admission criteria check",
        T.RECORDS,
        subfields=(
            _ad("by", "Getoetst door", "Checked by", T.CHOICE, choices=Party),
            _ad("date", "Datum", "Date", T.DATE),
            _ad("outcome", "Uitkomst", "Outcome", T.CHOICE, choices=CriteriaOutcome),
            _ad(
                "exception_granted_by",
                "Uitzondering toegestaan door",
                "Exception granted by",
                T.TEXT,
            ),
            _ad("note", "Toelichting", "Note", T.TEXT),
        ),
    ),
    _ad("admission_date", "Datum toelating", "Admission date", T.DATE),
    _ad(
        "admission_decided_by",
        "Toelating besloten door",
        "Admission decided by",
        T.CHOICE,
        choices=AdmissionDecider,
    ),
    _ad(
        "participation_form_signed",
        "Deelnameformulier getekend op",
        "Participation form signed on",
        T.DATE,
        help_nl="In Eindhoven ook 'intakeformulier' genoemd.",
        help_en="Called the 'intake form' in Eindhoven.",
    ),
    _ad("house_rules_signed", "Huisregels getekend op", "House rules signed on", T.DATE),
    _ad(
        "cooperation_declaration_signed",
        "Verklaring medewerking getekend op",
        "Cooperation declaration signed on",
        T.DATE,
    ),
    _ad("guiding_ngo", "Begeleidende organisatie", "Guiding NGO", T.TEXT),
    _ad("guiding_ngo_since", "Begeleiding sinds", "Guided since", T.DATE),
    _ad("counsellor", "Begeleider", "Counsellor", T.TEXT),
)

# ---------------------------------------------------------------------------------------
# 4.3 Health: all health content, never exported. Only the advice leaves.
_he = _In(FieldGroup.HEALTH, S.HEALTH, E.NEVER)

_HEALTH = (
    _he(
        "medical_or_psych_issue",
        "Medische of psychische problematiek",
        "Medical or psychological problems",
        T.BOOL,
    ),
    _he(
        "self_reliance_assessment",
        "Beoordeling zelfredzaamheid",
        "Self-reliance assessment",
        T.RECORDS,
        subfields=(
            _he("date", "Datum", "Date", T.DATE),
            _he("protective_factors", "Beschermende factoren", "Protective factors", T.MULTILINE),
            _he("somatic", "Somatische problemen", "Somatic problems", T.BOOL),
            _he("psychiatric", "Psychiatrische problemen", "Psychiatric problems", T.BOOL),
            _he("addiction", "Verslaving", "Addiction", T.BOOL),
            _he(
                "shelter_advice",
                "Advies passende opvang",
                "Advice on fitting shelter",
                T.CHOICE,
                choices=ShelterType,
            ),
        ),
    ),
    _he(
        "medical_check",
        "Medische check of intake",
        "Medical check or intake",
        T.RECORDS,
        subfields=(
            _he("kind", "Soort", "Kind", T.CHOICE, choices=HealthCheckKind),
            _he("date", "Datum", "Date", T.DATE),
            _he("by", "Uitgevoerd door", "Carried out by", T.TEXT),
            _he("findings", "Bevindingen", "Findings", T.MULTILINE),
            _he("recommended_followup", "Aanbevolen vervolg", "Recommended follow-up", T.TEXT),
            _he(
                "consent_to_consult_doctor",
                "Toestemming om de arts te raadplegen",
                "Consent to consult the doctor",
                T.BOOL,
            ),
        ),
    ),
    _he("addiction", "Verslaving", "Addiction", T.BOOL),
    _he("addiction_note", "Toelichting verslaving", "Note on addiction", T.MULTILINE),
    _he(
        "trauma_treatment",
        "Traumabehandeling",
        "Trauma treatment",
        T.RECORDS,
        subfields=(
            _he("provider", "Behandelaar", "Provider", T.TEXT),
            _he("phase", "Fase", "Phase", T.INTEGER),
            _he("start", "Begonnen op", "Started on", T.DATE),
            _he("end", "Beëindigd op", "Ended on", T.DATE),
        ),
    ),
    _he(
        "ggz_referral",
        "Verwijzing GGZ of verslavingszorg",
        "Referral to mental-health or addiction care",
        T.RECORDS,
        subfields=(
            _he("date", "Datum verwijzing", "Referral date", T.DATE),
            _he("service", "Verwezen naar", "Referred to", T.TEXT),
            _he("on_waiting_list", "Op de wachtlijst", "On the waiting list", T.BOOL),
            _he("start", "Behandeling begonnen op", "Treatment started on", T.DATE),
        ),
    ),
    _he("moo_level", "MOO-plaatsing", "MOO placement", T.CHOICE, choices=MooLevel),
    _he("medication_support", "Hulp bij medicatie", "Medication support", T.MULTILINE),
    _he(
        "medical_vulnerabilities_note",
        "Toelichting medische kwetsbaarheden",
        "Note on medical vulnerabilities",
        T.MULTILINE,
    ),
    _he(
        "exempt_from_training_medical",
        "Vrijgesteld van training om medische redenen",
        "Exempt from training for medical reasons",
        T.BOOL,
    ),
    _he(
        "health_advice",
        "Advies (zonder medische gegevens)",
        "Advice (without medical details)",
        T.MULTILINE,
        sensitivity=S.ORDINARY,
        export=E.WITH_CONSENT,
        help_nl="Het advies aan het LSO, zoals de GGD-verpleegkundige dat aan het BRIO geeft: "
        "geen diagnoses, klachten of behandelingen.",
        help_en="The advice to the LSO, as the GGD nurse gives it to the BRIO: "
        "no diagnoses, complaints or treatments.",
    ),
)

# ---------------------------------------------------------------------------------------
# Legal check summary (the full joint form lives in lvvdesk.forms)
_lc = _In(FieldGroup.LEGAL_CHECK, S.IDENTITY)

_LEGAL_CHECK = (
    _lc(
        "legal_check_performed_by",
        "Juridische check uitgevoerd door",
        "Legal check performed by",
        T.TEXT,
        sensitivity=S.ORDINARY,
    ),
    _lc(
        "legal_check_started",
        "Juridische check begonnen op",
        "Legal check started on",
        T.DATE,
        sensitivity=S.ORDINARY,
    ),
    _lc(
        "legal_check_completed",
        "Juridische check afgerond op",
        "Legal check completed on",
        T.DATE,
        sensitivity=S.ORDINARY,
    ),
    _lc(
        "legal_check_outcome",
        "Uitkomst juridische check",
        "Legal check outcome",
        T.CHOICE,
        choices=LegalCheckOutcome,
    ),
    _lc("advised_scenario", "Geadviseerd scenario", "Advised scenario", T.CHOICE, choices=Scenario),
    _lc(
        "legal_check_shared_in_lso",
        "Uitkomst gedeeld in het LSO",
        "Outcome shared in the LSO",
        T.BOOL,
        sensitivity=S.ORDINARY,
    ),
    _lc("legal_check_summary", "Samenvatting juridische check", "Legal check summary", T.MULTILINE),
)

# ---------------------------------------------------------------------------------------
# 4.6 Shelter and living allowance
_sh = _In(FieldGroup.SHELTER)

_SHELTER = (
    _sh(
        "shelter_placements",
        "Opvangplaatsingen",
        "Shelter placements",
        T.RECORDS,
        subfields=(
            _sh("type", "Soort opvang", "Type of shelter", T.CHOICE, choices=ShelterType),
            _sh("location", "Locatie", "Location", T.TEXT),
            _sh("start", "Vanaf", "From", T.DATE),
            _sh("end", "Tot", "Until", T.DATE),
        ),
    ),
    _sh("self_managed", "Zelfbeheer (eigen sleutel)", "Self-managed (own key)", T.BOOL),
    _sh(
        "living_allowance_per_week",
        "Leefgeld per week (EUR)",
        "Living allowance per week (EUR)",
        T.DECIMAL,
    ),
    _sh("chores_compliant", "Houdt zich aan corvee", "Does the chores", T.BOOL),
    _sh(
        "allowance_deductions",
        "Inhoudingen op leefgeld",
        "Allowance deductions",
        T.RECORDS,
        subfields=(
            _sh("date", "Datum", "Date", T.DATE),
            _sh("amount", "Bedrag (EUR)", "Amount (EUR)", T.DECIMAL),
            _sh("reason", "Reden", "Reason", T.TEXT),
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# 4.5 Scenario, trajectory and deadlines
_sc = _In(FieldGroup.SCENARIO)

_SCENARIO = (
    _sc(
        "scenario_history",
        "Scenario's",
        "Scenario history",
        T.RECORDS,
        subfields=(
            _sc("scenario", "Scenario", "Scenario", T.CHOICE, choices=Scenario),
            _sc("date", "Datum", "Date", T.DATE),
            _sc("decided_by", "Vastgesteld door", "Decided by", T.CHOICE, choices=ScenarioDecider),
        ),
    ),
    _sc(
        "current_scenario",
        "Huidig scenario",
        "Current scenario",
        T.CHOICE,
        choices=Scenario,
        derived=True,
    ),
    _sc(
        "national_monitor_scenario",
        "Scenario (landelijke monitor)",
        "Scenario (national monitor)",
        T.CHOICE,
        choices=Scenario,
        export=E.AGGREGATE_ONLY,
        derived=True,
        help_nl="Doormigratie telt als terugkeer, stabilisatie medisch als nog niet opgesteld.",
        help_en="Onward migration counts as return, medical stabilisation as not yet set.",
    ),
    _sc(
        "trajectories",
        "Trajecten",
        "Trajectories",
        T.RECORDS,
        subfields=(
            _sc("type", "Soort traject", "Type of trajectory", T.CHOICE, choices=TrajectoryType),
            _sc("start", "Begonnen op", "Started on", T.DATE),
            _sc("planned_end", "Geplande einddatum", "Planned end", T.DATE),
            _sc("end", "Beëindigd op", "Ended on", T.DATE),
            _sc("guided_by", "Begeleid door", "Guided by", T.TEXT),
        ),
    ),
    _sc(
        "term_events",
        "Termijnen, deadlines en verlengingen",
        "Terms, deadlines and extensions",
        T.RECORDS,
        subfields=(
            _sc("kind", "Soort", "Kind", T.CHOICE, choices=TermEventKind),
            _sc("action", "Actie", "Action", T.TEXT),
            _sc("due_date", "Uiterste datum", "Due date", T.DATE),
            _sc("from_date", "Van", "From", T.DATE),
            _sc("to_date", "Tot", "Until", T.DATE),
            _sc("reason", "Reden", "Reason", T.TEXT),
            _sc("approved_by", "Goedgekeurd door", "Approved by", T.CHOICE, choices=Party),
            _sc("done", "Afgerond", "Done", T.BOOL),
        ),
    ),
    _sc(
        "forced_return_consultation",
        "Raadpleging over gedwongen terugkeer",
        "Consultation on forced return",
        T.RECORDS,
        sensitivity=S.CRIMINAL,
        subfields=(
            _sc("ngo_asked", "Organisatie gevraagd op", "NGO asked on", T.DATE),
            _sc("objection", "Organisatie heeft bezwaar", "NGO objects", T.BOOL),
            _sc("note", "Toelichting", "Note", T.TEXT),
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# 4.7 Activation, training and return support
_ac = _In(FieldGroup.ACTIVITIES)

_ACTIVITIES = (
    _ac(
        "activities",
        "Activiteiten",
        "Activities",
        T.RECORDS,
        subfields=(
            _ac("kind", "Soort", "Kind", T.CHOICE, choices=ActivityKind),
            _ac("name", "Naam", "Name", T.TEXT),
            _ac("start", "Begonnen op", "Started on", T.DATE),
            _ac("end", "Beëindigd op", "Ended on", T.DATE),
            _ac("certificate", "Certificaat behaald", "Certificate obtained", T.BOOL),
        ),
    ),
    _ac(
        "future_orientation_training",
        "Training toekomstoriëntatie",
        "Future-orientation training",
        T.RECORDS,
        subfields=(
            _ac("start", "Eerste dag", "First day", T.DATE),
            _ac("end", "Laatste dag", "Last day", T.DATE),
            _ac("days_attended", "Dagen aanwezig", "Days attended", T.INTEGER),
            _ac("exempt", "Vrijgesteld", "Exempt", T.BOOL),
            _ac(
                "exempt_reason",
                "Reden vrijstelling",
                "Reason for exemption",
                T.TEXT,
                help_nl="Geen medische details; die horen bij Gezondheid.",
                help_en="No medical details; those belong under Health.",
            ),
            _ac("portfolio", "Portfolio (bijlage)", "Portfolio (attachment)", T.TEXT),
            _ac("follow_up", "Vervolgtraining op", "Follow-up training on", T.DATE),
        ),
    ),
    _ac(
        "departure_group_training",
        "Groepstraining vertrek",
        "Group training on departure",
        T.RECORDS,
        subfields=(
            _ac("start", "Begonnen op", "Started on", T.DATE),
            _ac("end", "Beëindigd op", "Ended on", T.DATE),
            _ac("completed", "Afgerond", "Completed", T.BOOL),
        ),
    ),
    _ac(
        "return_support",
        "Terugkeerondersteuning",
        "Return support",
        T.RECORDS,
        subfields=(
            _ac("kind", "Soort steun", "Kind of support", T.TEXT),
            _ac(
                "partner", "Partner in het herkomstland", "Partner in the country of origin", T.TEXT
            ),
            _ac("date", "Datum", "Date", T.DATE),
            _ac("note", "Toelichting", "Note", T.TEXT),
        ),
        help_nl="Bijvoorbeeld herintegratieplan, ondernemingsplan of financiële steun.",
        help_en="For example a reintegration plan, business plan or financial support.",
    ),
    _ac(
        "perspective_conversations",
        "Perspectiefgesprekken",
        "Perspective conversations",
        T.RECORDS,
        export=E.NEVER,
        subfields=(
            _ac("date", "Datum", "Date", T.DATE),
            _ac("by", "Gevoerd door", "Held by", T.TEXT),
            _ac("note", "Verslag", "Summary", T.MULTILINE),
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# LSO discussions and escalations
_ls = _In(FieldGroup.LSO)

_LSO = (
    _ls(
        "lso_discussions",
        "Besprekingen in het LSO",
        "LSO discussions",
        T.RECORDS,
        subfields=(
            _ls("date", "Datum", "Date", T.DATE),
            _ls("decision", "Besluit", "Decision", T.CHOICE, choices=LsoDecisionKind),
            _ls("scenario", "Vastgesteld scenario", "Scenario set", T.CHOICE, choices=Scenario),
            _ls("note", "Toelichting", "Note", T.TEXT),
        ),
    ),
    _ls(
        "discussed_in_lso",
        "Besproken in het LSO",
        "Discussed in the LSO",
        T.BOOL,
        export=E.AGGREGATE_ONLY,
        derived=True,
    ),
    _ls(
        "escalations",
        "Escalaties",
        "Escalations",
        T.RECORDS,
        subfields=(
            _ls("target", "Geëscaleerd naar", "Escalated to", T.CHOICE, choices=EscalationTarget),
            _ls("date", "Datum", "Date", T.DATE),
            _ls("advice", "Advies", "Advice", T.MULTILINE),
        ),
    ),
    _ls("in_family_case_meeting", "In het gezinsoverleg", "In the family case meeting", T.BOOL),
    _ls("in_cluster_meeting", "In het clusteroverleg", "In the cluster meeting", T.BOOL),
)

# ---------------------------------------------------------------------------------------
# 4.8 Outflow
_ou = _In(FieldGroup.OUTFLOW)

_OUTFLOW = (
    _ou("outflow_date", "Datum uitstroom", "Outflow date", T.DATE),
    _ou(
        "outflow_destination",
        "Uitgestroomd naar",
        "Outflow destination",
        T.CHOICE,
        choices=OutflowDestination,
    ),
    _ou(
        "outflow_category",
        "Uitstroomcategorie",
        "Outflow category",
        T.CHOICE,
        choices=OutflowCategory,
        export=E.AGGREGATE_ONLY,
        derived=True,
        help_nl="Volgt uit de bestemming via de indeling van het siteprofiel.",
        help_en="Follows from the destination through the site profile's mapping.",
    ),
    _ou(
        "outflow_group",
        "Soort uitstroom",
        "Outflow group",
        T.CHOICE,
        choices=OutflowGroup,
        export=E.AGGREGATE_ONLY,
        derived=True,
    ),
    _ou("whereabouts_known", "Verblijfplaats bekend", "Whereabouts known", T.BOOL),
    _ou(
        "forced_return_after_detention",
        "Gedwongen teruggekeerd na bewaring",
        "Forcibly returned after detention",
        T.BOOL,
        sensitivity=S.CRIMINAL,
    ),
)

# ---------------------------------------------------------------------------------------
# Notes and attachments: a register of the documents in the paper file (title, kind, date);
# the only scans the vault keeps are consent forms and form signatures
_no = _In(FieldGroup.NOTES, S.ORDINARY, E.NEVER)

_NOTES = (
    _no("notes", "Notities", "Notes", T.MULTILINE),
    _no(
        "attachments",
        "Bijlagen",
        "Attachments",
        T.RECORDS,
        subfields=(
            _no("title", "Titel", "Title", T.TEXT),
            _no("kind", "Soort", "Kind", T.CHOICE, choices=AttachmentKind),
            _no("added", "Toegevoegd op", "Added on", T.DATE),
        ),
    ),
)

CATALOGUE: Catalogue = Catalogue(
    _IDENTITY
    + _ADMISSION
    + _IMMIGRATION
    + _LEGAL_CHECK
    + _HEALTH
    + _SHELTER
    + _SCENARIO
    + _ACTIVITIES
    + _LSO
    + _OUTFLOW
    + _NOTES
)
"""Every case field, grouped in the order the case file shows them."""


def catalogue() -> Catalogue:
    """The field catalogue (the same object every call)."""
    return CATALOGUE
