"""The LVV vocabulary: sites, parties, scenarios, outflow, regions and other fixed lists.

Dutch labels are the ones the evaluation report's tables print (see LVV-BRIEF sections 2 and 5),
so that lists in the app and reproduced monitor tables use the same words.
"""

from __future__ import annotations

from lvvdesk.domain.labelled import LabelledEnum


class Site(LabelledEnum):
    """The five LVV pilot cities; a vault belongs to exactly one."""

    AMSTERDAM = ("amsterdam", "Amsterdam", "Amsterdam", "ams")
    EINDHOVEN = ("eindhoven", "Eindhoven", "Eindhoven", "ehv")
    GRONINGEN = ("groningen", "Groningen", "Groningen", "gro")
    ROTTERDAM = ("rotterdam", "Rotterdam", "Rotterdam", "rtd")
    UTRECHT = ("utrecht", "Utrecht", "Utrecht", "utr")


class Role(LabelledEnum):
    """What a user of lvvdesk does; permissions follow from it."""

    GUIDE = ("guide", "Begeleider", "Guide", "begeleider")
    LEGAL_SCREENER = ("legal_screener", "Juridisch screener", "Legal screener", "screener")
    COORDINATOR = ("coordinator", "Coördinator", "Coordinator")
    ADMINISTRATOR = ("administrator", "Beheerder", "Administrator", "admin", "beheerder")


class Party(LabelledEnum):
    """Organisations a case can be shared with or that own a form section."""

    IND = ("ind", "IND", "IND")
    DTV = ("dtv", "DT&V", "DT&V", "dt&v", "dienst terugkeer en vertrek")
    AVIM = ("avim", "AVIM", "AVIM")
    GEMEENTE = ("gemeente", "Gemeente", "Municipality", "city")
    GGD = ("ggd", "GGD", "GGD")
    NGO = ("ngo", "Maatschappelijke organisatie", "NGO")
    LSO = ("lso", "Het LSO als geheel", "The LSO as a whole")
    DOCTOR = ("doctor", "Arts", "Doctor", "straatarts")


class Gender(LabelledEnum):
    """Gender as the monitor tables count it."""

    MAN = ("man", "Man", "Man", "m", "male")
    VROUW = ("vrouw", "Vrouw", "Woman", "v", "f", "female", "woman")
    X = ("x", "X", "X", "other", "anders")
    UNKNOWN = ("onbekend", "Onbekend", "Unknown", "u", "unknown")


class Scenario(LabelledEnum):
    """Guidance scenario (begeleidingsscenario), exactly as the report's tables list them."""

    LEGALISATION = (
        "legalisation",
        "Legalisering van verblijf in Nederland",
        "Legalisation of stay in the Netherlands",
        "legalisering",
    )
    RETURN = (
        "return",
        "Terugkeer naar land van herkomst",
        "Return to country of origin",
        "terugkeer",
    )
    ONWARD_MIGRATION = ("onward_migration", "Doormigratie", "Onward migration", "door migratie")
    NOT_YET_SET = (
        "not_yet_set",
        "Nog niet opgesteld/in onderzoek",
        "Not yet set / under investigation",
        "nog niet opgesteld",
        "in onderzoek",
    )
    MEDICAL_STABILISATION = (
        "medical_stabilisation",
        "Stabilisatie medisch",
        "Medical stabilisation",
    )

    def national_monitor(self) -> Scenario:
        """The scenario as the national monitor counts it (onward migration as return,
        medical stabilisation as not yet set)."""
        if self is Scenario.ONWARD_MIGRATION:
            return Scenario.RETURN
        if self is Scenario.MEDICAL_STABILISATION:
            return Scenario.NOT_YET_SET
        return self


class ScenarioDecider(LabelledEnum):
    """Who set a scenario: the LSO jointly, or the guiding NGO alone (as often in Utrecht)."""

    LSO = ("lso", "LSO gezamenlijk", "LSO jointly")
    NGO = ("ngo", "Organisatie alleen", "NGO alone")
    UNKNOWN = ("unknown", "Onbekend", "Unknown")


class OutflowGroup(LabelledEnum):
    """The three outflow groups of the monitor tables."""

    DURABLE = ("durable", "Bestendige uitstroom", "Durable outflow", "bestendig")
    SEMI_DURABLE = (
        "semi_durable",
        "Semi-bestendige uitstroom",
        "Semi-durable outflow",
        "semi-bestendig",
    )
    NON_DURABLE = (
        "non_durable",
        "Niet-bestendige uitstroom",
        "Non-durable outflow",
        "niet-bestendig",
    )


class OutflowDestination(LabelledEnum):
    """Where a person went on leaving the LVV, as detailed as the report records it.

    The table category and group are derived through a configurable mapping
    (``lvvdesk.domain.outflow``), because the report itself uses two.
    """

    LEGALISATION = (
        "legalisation",
        "Legalisering van verblijf in Nederland",
        "Legalisation of stay in the Netherlands",
        "legalisering",
    )
    RETURN_ORIGIN = (
        "return_origin",
        "Terugkeer naar land van herkomst",
        "Return to country of origin",
        "naar land van herkomst",
        "terugkeer",
    )
    ONWARD_MIGRATION = ("onward_migration", "Doormigratie", "Onward migration", "door migratie")
    HASA = ("hasa", "HASA", "Repeat asylum application", "hasa (herhaalde asielaanvraag)")
    ARTICLE_64 = ("article_64", "Artikel 64 vw", "Article 64 (postponed departure)", "artikel 64")
    VBL = ("vbl", "VBL (vrijheidsbeperkende locatie)", "VBL (restricted-freedom location)")
    UNKNOWN_DESTINATION = (
        "unknown_destination",
        "Vertrokken met onbekende bestemming",
        "Left with unknown destination",
        "mob",
        "met onbekende bestemming",
    )
    FORCED_TERMINATION = (
        "forced_termination",
        "Gedwongen beëindigd",
        "Ended by the LVV",
        "formeel beëindigd",
    )
    DETENTION = ("detention", "Detentie", "Detention")
    OTHER_SHELTER = ("other_shelter", "Naar andere opvang", "To other shelter", "andere opvang")
    IMMIGRATION_DETENTION = (
        "immigration_detention",
        "Vreemdelingenbewaring",
        "Immigration detention",
    )
    OWN_NETWORK = ("own_network", "Eigen netwerk", "Own network")
    LVV_OTHER_MUNICIPALITY = (
        "lvv_other_municipality",
        "LVV in andere gemeente",
        "LVV in another municipality",
        "naar lvv in andere gemeente",
    )
    BACK_TO_BBB = ("back_to_bbb", "Terug naar BBB", "Back to BBB", "bbb")
    DIED = ("died", "Overleden", "Died")


class Region(LabelledEnum):
    """Region of origin as the report's background tables group countries."""

    SUB_SAHARAN_AFRICA = ("sub_saharan_africa", "Sub-Sahara-Afrika", "Sub-Saharan Africa")
    MIDDLE_EAST = ("middle_east", "Midden-Oosten", "Middle East")
    ASIA = ("asia", "Azië", "Asia (excl. Middle East)")
    NORTH_AFRICA = ("north_africa", "Noord-Afrika", "North Africa")
    LATIN_AMERICA = ("latin_america", "Latijns-Amerika", "Latin America")
    EUROPE_NON_EU = ("europe_non_eu", "Europa niet-EU", "Europe (non-EU)")
    STATELESS = ("stateless", "Staatloos", "Stateless")
    UNKNOWN = ("unknown", "Herkomstregio onbekend", "Region unknown")


class RegistrationChannel(LabelledEnum):
    """How a person reached the LVV."""

    SELF = ("self", "Zelf gemeld", "Self-registered")
    REFERRED = ("referred", "Aangemeld door partij", "Referred by a party")
    COUNTER = ("counter", "Via het loket", "Through the counter")


class AvimStatus(LabelledEnum):
    """State of the AVIM identity investigation."""

    NOT_DONE = ("not_done", "Niet gedaan", "Not done")
    PENDING = ("pending", "Loopt", "Pending")
    CONFIRMED = ("confirmed", "Identiteit bevestigd", "Identity confirmed")
    FRAUD = ("fraud", "Identiteitsfraude vastgesteld", "Identity fraud found")


class ShelterType(LabelledEnum):
    """Shelter types across the five pilots (LVV-BRIEF step I)."""

    H24 = ("24h", "24-uursopvang", "24-hour shelter", "24-uurs opvang", "24 uurs opvang")
    NIGHT = ("night", "Nachtopvang", "Night shelter")
    EVENING = ("evening", "Avondopvang", "Evening shelter")
    NETWORK = ("network", "Netwerkregeling", "Network arrangement")
    BBB = ("bbb", "BBB", "Bed-bath-bread shelter")
    MOO_BASIS = ("moo_basis", "MOO-basis", "MOO basic")
    MOO_INTENSIVE = ("moo_intensive", "MOO-intensief", "MOO intensive")
    LIVE_IN_GUIDANCE = ("live_in_guidance", "Woonbegeleidingsplek", "Place with live-in guidance")
    FIRST_LINE = ("first_line", "Eerstelijns opvang", "First-line shelter", "eerstelijns")
    SECOND_LINE = ("second_line", "Tweedelijns opvang", "Second-line shelter", "tweedelijns")
    WOMEN_24H = ("women_24h", "24-uurs vrouwenopvang", "24-hour women's shelter")
    CENTRAL_LOCATION = ("central_location", "Centrale locatie", "Central location (hotel/boat)")
    SMALL_HOME = ("small_home", "Kleine woonvoorziening", "Small home")
    PRIVATE_ADDRESS = ("private_address", "Particulier adres", "Private address")
    BOUGHT_PLACE = (
        "bought_place",
        "Ingekochte plek Leger des Heils",
        "Bought place (Salvation Army)",
    )
    NGO_HOUSE = ("ngo_house", "Woonhuis van de organisatie", "NGO house")


class ProcedureType(LabelledEnum):
    """Kinds of earlier immigration procedures."""

    ASYLUM = ("asylum", "Asielaanvraag", "Asylum application")
    REPEAT_ASYLUM = ("repeat_asylum", "Herhaalde asielaanvraag", "Repeat asylum application")
    REGULAR = ("regular", "Reguliere aanvraag", "Regular residence application")
    ARTICLE_64 = ("article_64", "Artikel 64 Vw", "Article 64 application")
    APPEAL = ("appeal", "Beroep", "Appeal")
    OTHER = ("other", "Anders", "Other")


class ProcedureOutcome(LabelledEnum):
    """Outcome of an immigration procedure."""

    PENDING = ("pending", "Loopt nog", "Pending")
    GRANTED = ("granted", "Toegewezen", "Granted")
    REJECTED = ("rejected", "Afgewezen", "Rejected")
    WITHDRAWN = ("withdrawn", "Ingetrokken", "Withdrawn")
    UNKNOWN = ("unknown", "Onbekend", "Unknown")


class LegalCheckOutcome(LabelledEnum):
    """Outcome of the legal check."""

    POSSIBLE = ("possible", "Legalisering mogelijk", "Legalisation possible")
    NOT_POSSIBLE = ("not_possible", "Legalisering niet mogelijk", "Legalisation not possible")
    UNCLEAR = ("unclear", "Onduidelijk", "Unclear")


class AgeBand(LabelledEnum):
    """Age bands of the report's background tables (age at the reference date)."""

    AGE_0_17 = ("0-17", "0-17 jaar", "0-17 years")
    AGE_18_25 = ("18-25", "18-25 jaar", "18-25 years")
    AGE_26_35 = ("26-35", "26-35 jaar", "26-35 years")
    AGE_36_45 = ("36-45", "36-45 jaar", "36-45 years")
    AGE_46_55 = ("46-55", "46-55 jaar", "46-55 years")
    AGE_56_65 = ("56-65", "56-65 jaar", "56-65 years")
    AGE_66_PLUS = ("66+", "66 jaar en ouder", "66 and over")
    UNKNOWN = ("unknown", "Leeftijd onbekend", "Age unknown", "onbekend")


class ArrivedFrom(LabelledEnum):
    """Where a person stayed just before registering with the LVV."""

    VBL = ("vbl", "VBL (vrijheidsbeperkende locatie)", "VBL (restricted-freedom location)")
    PRISON = ("prison", "Penitentiaire inrichting", "Prison", "pi")
    IMMIGRATION_DETENTION = (
        "immigration_detention",
        "Vreemdelingenbewaring",
        "Immigration detention",
    )
    BBB = ("bbb", "BBB", "Bed-bath-bread shelter")
    AZC = ("azc", "AZC", "Asylum seekers' centre")
    STREET = ("street", "Straat", "Street")
    OWN_NETWORK = ("own_network", "Eigen netwerk", "Own network")
    OTHER_SHELTER = ("other_shelter", "Andere opvang", "Other shelter")
    OTHER = ("other", "Anders", "Other")
    UNKNOWN = ("unknown", "Onbekend", "Unknown")


class CriteriaOutcome(LabelledEnum):
    """Outcome of the check against the admission criteria."""

    MEETS = ("meets", "Voldoet aan de criteria", "Meets the criteria")
    DOES_NOT_MEET = ("does_not_meet", "Voldoet niet aan de criteria", "Does not meet the criteria")
    EXCEPTION = ("exception", "Uitzondering toegestaan", "Exception granted")


class AdmissionDecider(LabelledEnum):
    """Who decided on (definitive) admission to the LVV."""

    CITY = ("city", "Gemeente", "Municipality", "gemeente")
    COUNTER = ("counter", "Loket", "Counter", "vreemdelingenloket", "loa")
    INLIA_IND = ("inlia_ind", "Inlia en IND samen", "Inlia and IND jointly")
    LSO = ("lso", "LSO gezamenlijk", "LSO jointly", "brio")
    NGO = ("ngo", "Maatschappelijke organisatie", "NGO")
    OTHER = ("other", "Anders", "Other")


class TrajectoryType(LabelledEnum):
    """Kinds of guidance trajectory named in the pilots."""

    LEGAL = ("legal", "Juridisch traject", "Legal trajectory", "juridisch")
    FUTURE_ORIENTATION = (
        "future_orientation",
        "Toekomstoriëntatie",
        "Future orientation",
        "toekomstorientatietraject",
    )
    RETURN_GUIDANCE = ("return_guidance", "Terugkeerbegeleiding", "Return guidance")
    LIVE_IN_GUIDANCE = ("live_in_guidance", "Woonbegeleiding", "Live-in guidance")
    ACTIVATION = ("activation", "Activering", "Activation")
    MEDICAL_STABILISATION = (
        "medical_stabilisation",
        "Stabilisatie medisch",
        "Medical stabilisation",
    )
    OTHER = ("other", "Anders", "Other")


class TermEventKind(LabelledEnum):
    """Events on a participation or trajectory term: terms, deadlines, extensions, pauses."""

    TERM = ("term", "Termijn", "Term")
    DEADLINE = ("deadline", "Tussentijdse deadline", "Interim deadline")
    EXTENSION = ("extension", "Verlenging", "Extension")
    FREEZE = ("freeze", "Bevriezing", "Freeze", "bevriezen")
    SUSPENSION = ("suspension", "Opschorting", "Suspension")


class ExtensionReason(LabelledEnum):
    """Grounds on which a term may be extended or a deadline moved."""

    MEDICAL = ("medical", "Medische problemen", "Medical problems")
    DOCUMENTS = ("documents", "Documenten nog te verzamelen", "Documents still to be collected")
    ORIGIN_COUNTRY = (
        "origin_country",
        "Herkomstland werkt niet mee",
        "Country of origin does not cooperate",
    )
    OTHER = ("other", "Andere goede reden", "Other good reason")


class TermPauseReason(LabelledEnum):
    """Grounds on which a term may be frozen or suspended."""

    ARQ_TRAUMA_PHASE_2 = (
        "arq_trauma_phase_2",
        "Traumabehandeling bij Arq, tweede fase",
        "Trauma treatment at Arq, second phase",
    )
    COVID = ("covid", "Coronamaatregelen", "COVID-19 measures")


class EscalationTarget(LabelledEnum):
    """Where a case is escalated when the LSO cannot agree."""

    STEERING_GROUP = ("steering_group", "Lokale stuurgroep", "Local steering group", "stuurgroep")
    MRT = ("mrt", "MRT (Multidisciplinair Review Team)", "MRT (Multidisciplinary Review Team)")


class ActivityKind(LabelledEnum):
    """Kinds of activation activity."""

    DUTCH_LESSONS = ("dutch_lessons", "Nederlandse les", "Dutch lessons")
    COURSE = ("course", "Cursus", "Course")
    SCHOOLING = ("schooling", "Scholingsplek", "Schooling place")
    COMPUTER = ("computer", "Computerles", "Computer lessons")
    SPORT = ("sport", "Sport", "Sport", "voetbal", "football")
    SEWING = ("sewing", "Naailes", "Sewing")
    WORK = ("work", "Werk of dagbesteding", "Work or day activity")
    LEISURE = ("leisure", "Vrijetijdsactiviteit", "Leisure activity")
    OTHER = ("other", "Anders", "Other")


class LsoDecisionKind(LabelledEnum):
    """What an LSO discussion of a case decided."""

    ADMISSION = ("admission", "Toelating", "Admission")
    SCENARIO = ("scenario", "Scenario vastgesteld", "Scenario set")
    GUIDING_NGO = ("guiding_ngo", "Begeleidende organisatie aangewezen", "Guiding NGO assigned")
    PROGRESS = ("progress", "Voortgang besproken", "Progress discussed")
    DEADLINE = ("deadline", "Tussentijdse deadline afgesproken", "Interim deadline agreed")
    EXTENSION = ("extension", "Verlenging", "Extension")
    TERMINATION = ("termination", "Beëindiging", "Termination")
    ESCALATION = ("escalation", "Escalatie", "Escalation")
    OTHER = ("other", "Anders", "Other")


class HealthCheckKind(LabelledEnum):
    """Kinds of health check at intake, as the pilots run them (LVV-BRIEF step E)."""

    SELF_RELIANCE = (
        "self_reliance_assessment",
        "Zelfredzaamheidsbeoordeling (GGD)",
        "Self-reliance assessment (GGD)",
    )
    MEDICAL_CHECK = ("medical_check", "Medische check", "Medical check")
    MEDICAL_INTAKE = ("medical_intake", "Medische intake", "Medical intake")
    MEDICAL_SCREENING = ("medical_screening", "Medische screening", "Medical screening")
    NGO_MAPPING = (
        "ngo_mapping",
        "Inventarisatie door de organisatie",
        "Mapped by the NGO",
    )


class MooLevel(LabelledEnum):
    """The two levels of the MOO medical shelter project."""

    BASIS = ("basis", "MOO-basis", "MOO basic")
    INTENSIVE = ("intensive", "MOO-intensief", "MOO intensive", "intensief")


class AttachmentKind(LabelledEnum):
    """What an attached document is."""

    IDENTITY_DOCUMENT = ("identity_document", "Identiteitsdocument", "Identity document")
    IMMIGRATION_DOCUMENT = (
        "immigration_document",
        "Stuk van IND of DT&V",
        "IND or DT&V document",
    )
    SIGNED_FORM = ("signed_form", "Ondertekend formulier", "Signed form")
    PORTFOLIO = ("portfolio", "Portfolio", "Portfolio")
    LETTER = ("letter", "Brief", "Letter")
    MEDICAL = ("medical", "Medisch stuk", "Medical document")
    OTHER = ("other", "Anders", "Other")


class ConsentModel(LabelledEnum):
    """When a participant consents to their case being discussed in the LSO."""

    PARTICIPATION_FORM = (
        "participation_form",
        "Bij ondertekening van het deelnameformulier",
        "On signing the participation form",
    )
    SEPARATE_LATER = (
        "separate_later",
        "Aparte, latere ondertekende toestemming",
        "Separate, later signed consent",
    )


class IdentityCheck(LabelledEnum):
    """How a pilot establishes identity at admission."""

    AVIM_BEFORE_ADMISSION = (
        "avim_before_admission",
        "AVIM-onderzoek vóór toelating",
        "AVIM investigation before admission",
    )
    AVIM_AFTER_INTAKE = (
        "avim_after_intake",
        "AVIM-onderzoek na de intake",
        "AVIM investigation after the intake",
    )
    PLANNED = ("planned", "AVIM-onderzoek gepland", "AVIM investigation planned")
    NGO_RESEARCH = (
        "ngo_research",
        "Eigen onderzoek door de organisaties",
        "NGOs' own research",
    )
    NONE = ("none", "Geen standaard identiteitsonderzoek", "No standard identity check")


class LsoCaseSelection(LabelledEnum):
    """Which cases reach the LSO."""

    ALL = ("all", "Alle casussen", "All cases")
    NGO_SELECTED = (
        "ngo_selected",
        "Door de organisatie gekozen casussen",
        "Cases the NGO chooses",
    )
