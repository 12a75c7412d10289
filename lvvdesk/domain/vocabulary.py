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
