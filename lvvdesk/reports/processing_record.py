"""The record of processing activities (GDPR art. 30(1)) for the caseload lvvdesk holds.

``processing_record`` writes it as Markdown, in Dutch or English, for one site. Every
statement is derived from the app itself, so the record changes when the app does:

- the categories of personal data from the field catalogue (groups, sensitivity);
- what may leave from the disclosure policy itself: ``disclose`` is asked what it would let
  go under a consent covering every field, rather than the rules being restated here;
- the usual recipients and scopes from the consent presets and the site profile;
- the monitor's tables and small-number threshold from the monitor code;
- retention from the site profile's ``[retention]`` table;
- who may see, erase, hold and send from the permission matrix.

The wording of both languages lives in ``_WORDS`` (not in gettext: the record is a
document for the privacy officer, written in the language asked for, whatever the
language of the program's own messages).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from lvvdesk import __version__
from lvvdesk.domain.catalogue import CATALOGUE
from lvvdesk.domain.consent import (
    CaptureMethod,
    ConsentRecord,
    Decision,
    LegalBasis,
    Purpose,
    Recipient,
)
from lvvdesk.domain.consent_presets import recipient_preset, scope_preset
from lvvdesk.domain.disclosure import CaseData, WithheldReason, disclose
from lvvdesk.domain.fields import (
    Catalogue,
    Exportability,
    FieldDef,
    FieldGroup,
    FieldType,
    Sensitivity,
)
from lvvdesk.domain.labelled import fold
from lvvdesk.domain.monitor.table import DEFAULT_SUPPRESS_BELOW, MIN_SUPPRESS_BELOW
from lvvdesk.domain.monitor.tables import SiteSettings, site_tables
from lvvdesk.domain.permissions import Permission, allows, can_view_field
from lvvdesk.domain.sites import SiteProfile
from lvvdesk.domain.vocabulary import ConsentModel, Party, Role
from lvvdesk.reports.consent_form import format_day
from lvvdesk.storage.kdf import FLOOR

__all__ = ["processing_record"]

_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Register van verwerkingsactiviteiten: {site}",
        "subtitle": "Artikel 30 lid 1 AVG: de verwerking van de dossiers die lvvdesk bijhoudt.",
        "controller": "Verwerkingsverantwoordelijke",
        "site": "Locatie",
        "date": "Datum van dit register",
        "derived": "Afgeleid uit",
        "derived_from": "de veldencatalogus van lvvdesk {version} ({n} velden) en het "
        "locatieprofiel `{key}`",
        "contact": "Contactgegevens verwerkingsverantwoordelijke en FG",
        "contact_todo": "in te vullen door de organisatie (art. 30 lid 1 onder a)",
        "scope_note": "Dit register beschrijft wat lvvdesk bewaart en verstrekt. Papieren "
        "dossiers en andere systemen van de organisatie vallen erbuiten.",
        "h_purposes": "1. Doeleinden (art. 30 lid 1 onder b)",
        "purpose_file": "Het dossier bijhouden van iedere deelnemer van {site}: {groups}.",
        "purpose_share": "Gegevens delen met partners, alleen waar een toestemming of een andere "
        "vastgelegde grondslag dat toelaat (zie 4).",
        "purpose_monitor": "Cijfers, alleen geaggregeerd, voor de landelijke monitor (zie 5).",
        "h_subjects": "2. Betrokkenen (art. 30 lid 1 onder c)",
        "subject_participants": "Deelnemers van {site}, vanaf de aanmelding; ook wie is "
        "aangemeld maar nooit is toegelaten.",
        "subject_users": "Gebruikers van de kluis: naam en rol, in de kluis. Het auditlogboek "
        "legt vast wat zij deden, onder hun gebruikersnummer.",
        "subject_others": "Tolken en getuigen die bij een toestemming worden genoemd: alleen "
        "hun naam.",
        "h_categories": "3. Categorieën persoonsgegevens (art. 30 lid 1 onder c)",
        "col_group": "Groep",
        "col_fields": "Velden",
        "col_art9": "Art. 9 (gezondheid)",
        "col_art10": "Art. 10 (strafrechtelijk)",
        "col_special": "Overig gevoelig",
        "col_never": "Nooit naar buiten",
        "col_consent": "Met toestemming",
        "col_aggregate": "Alleen geaggregeerd",
        "total": "Totaal",
        "table_note": "Art. 9, art. 10 en overig gevoelig tellen de velden die de catalogus "
        "als gezondheid, strafrechtelijk en bijzonder aanmerkt. De laatste drie kolommen zeggen "
        "wat het verstrekkingsbeleid laat gaan onder een toestemming die alles omvat: nooit, "
        "met toestemming, of niet als veld maar alleen als aantallen in de monitortabellen. "
        "Berekende velden gaan nooit als veld naar buiten.",
        "h_art9": "Art. 9 AVG (gezondheid)",
        "h_art10": "Art. 10 AVG (strafrechtelijke gegevens)",
        "h_special": "Overig gevoelig",
        "class_never": "nooit naar buiten",
        "class_consent": "met toestemming",
        "class_consent_named": "met toestemming, alleen als het veld zelf genoemd is",
        "class_aggregate": "alleen geaggregeerd",
        "other_records": "Naast de velden bewaart de kluis per dossier: toestemmingen "
        "(ontvanger, doel, reikwijdte, geldigheid, wijze van vastleggen, naam van tolk en "
        "getuige, en de handtekening of scan), ingevulde formulieren, concepten en een log "
        "van wat aan wie is verstrekt.",
        "h_recipients": "4. Ontvangers (art. 30 lid 1 onder d)",
        "rule": "Niets over een persoon verlaat lvvdesk tenzij een toestemming, of een andere "
        "vastgelegde grondslag ({bases}), precies dat veld toestaat, aan precies die "
        "ontvanger, voor precies dat doel, op die dag. Een andere grondslag dan toestemming "
        "vraagt een vastgelegde onderbouwing.",
        "rule_health": "Gezondheidsgegevens (art. 9) gaan nooit naar buiten; alleen {fields} "
        "mag mee, als de reikwijdte van de toestemming het omvat.",
        "rule_health_none": "Gezondheidsgegevens (art. 9) gaan nooit naar buiten.",
        "rule_criminal": "Strafrechtelijke gegevens (art. 10) gaan alleen mee als de toestemming "
        "het veld zelf noemt; een groep in de reikwijdte is niet genoeg.",
        "rule_never": "Velden die nooit naar buiten gaan (zie 3), gaan in geen geval mee.",
        "col_purpose": "Doel",
        "col_recipients": "Gebruikelijke ontvangers",
        "col_scope": "Gebruikelijke reikwijdte",
        "chosen_per_record": "per toestemming gekozen",
        "health_advice_only": "alleen {fields}",
        "health_nothing": "niets",
        "presets_note": "Gebruikelijk: wat lvvdesk bij het vastleggen van een toestemming "
        "voorstelt; per toestemming aan te passen.",
        "h_consent": "Toestemming in {site}",
        "model": "Model: {model}.",
        "the_form": "deelnameformulier",
        "model_form": "Het {form} bevat de vraag om toestemming voor bespreking in het {lso}; "
        "het antwoord, ja of nee, wordt vastgelegd voor de gebruikelijke ontvangers van het {lso}.",
        "model_later": "Het {form} bevat geen toestemmingsvraag. Toestemming om te delen wordt "
        "later en per ontvanger gevraagd. Een dossier mag zo lang als nodig zonder "
        "toestemming om te delen blijven.",
        "initiated_by": "Het initiatief ligt bij: {party}.",
        "signature": "Toestemming om in het {lso} te delen, of met DT&V of de IND voor welk "
        "doel ook, wordt gegeven met een handtekening, op het scherm of op het geprinte "
        "formulier, nooit mondeling; een weigering mag mondeling.",
        "methods": "Toestemming wordt vastgelegd als: {methods}. Een mondelinge toestemming "
        "vraagt de naam van een getuige.",
        "append_only": "Toestemmingen worden alleen toegevoegd, nooit overschreven. Een "
        "intrekking werkt meteen.",
        "notices": "Partners die een pakket kregen, krijgen een ondertekend bericht als een "
        "toestemming wordt ingetrokken of een dossier gewist (art. 19 AVG): het noemt de "
        "pakketten en de pseudoniemen waaronder zij de dossiers kennen.",
        "h_monitor": "5. De landelijke monitor",
        "monitor": "Voor de landelijke coördinatie van het programma maakt lvvdesk een "
        "ondertekend monitorpakket met alleen geaggregeerde tabellen: geen regels per "
        "dossier, geen namen, geen cliëntnummers. Het pakket wordt gemaakt door: {roles}.",
        "monitor_small": "Elk aantal van 1 tot en met {below_minus} wordt weggelaten (als "
        "\u201c<{below}\u201d; de drempel is standaard {below}, minimaal {minimum}), en ook "
        "percentages die op een weggelaten cel rusten. Dat is primaire onderdrukking: een "
        "weggelaten cel is soms uit andere tabellen af te leiden.",
        "monitor_tables": "De tabellen voor {site}:",
        "monitor_local": "Tabellen die lvvdesk alleen opslaat (`lvvdesk report monitor`) laten "
        "kleine aantallen alleen weg met `--suppress-below`; gebruik dat als ze de "
        "organisatie verlaten.",
        "h_transfers": "6. Doorgifte buiten de EER (art. 30 lid 1 onder e)",
        "transfers": "Geen. lvvdesk maakt geen netwerkverbinding en verstuurt zelf niets: "
        "pakketten zijn bestanden die de organisatie zelf aan de ontvangers in 4 overdraagt.",
        "h_retention": "7. Bewaartermijnen en wissen (art. 30 lid 1 onder f)",
        "col_rule": "Regel",
        "col_period": "Termijn",
        "rule_outflow": "Na uitstroom",
        "rule_no_admission": "Nooit toegelaten",
        "period_outflow": "{n} maanden na de uitstroomdatum",
        "period_no_admission": "{n} maanden na de aanmelding",
        "no_rule": "geen regel: geen automatische beoordeling",
        "review": "Wie nog in de LVV is, komt nooit aan de beurt. Een regel wist niets "
        "vanzelf: een dossier dat aan de beurt is, komt op de lijst ter beoordeling, en het "
        "wissen wordt bevestigd door: {roles}.",
        "hold": "Een dossier onder juridische bewaarplicht (er loopt nog een procedure of "
        "klacht) wordt niet gewist tot de bewaarplicht is opgeheven. Instellen en opheffen: "
        "{roles}.",
        "tombstone": "Na het wissen blijft een registratie zonder inhoud: de willekeurige "
        "interne id van het dossier, wanneer, door wie, de reden en welke partners een "
        "wisbericht krijgen; geen dossiernummer, naam of waarde. Het auditlogboek noemt het "
        "dossier alleen bij die id.",
        "backups": "Back-ups die vóór het wissen zijn gemaakt, bevatten het dossier nog tot ze "
        "worden vervangen; terugzetten brengt het terug.",
        "users_stay": "Een gebruiker van wie de toegang is ingetrokken, blijft met naam, eerder "
        "werk en regels in het auditlogboek in de kluis.",
        "h_security": "8. Beveiliging (art. 30 lid 1 onder g, art. 32)",
        "sec_vault": "Versleutelde kluis: SQLCipher 4 met een willekeurige sleutel van 256 bits. "
        "Vrijgekomen pagina's worden overschreven, en na het wissen wordt het bestand "
        "herschreven.",
        "sec_slots": "Sleutel per gebruiker: de kluissleutel is per gebruiker en voor de "
        "herstelcode apart versleuteld, met een sleutel uit Argon2id (minstens {mib} MiB).",
        "sec_roles": "Rollen: wie wat ziet volgt uit de rol (tabel hieronder). Pakketten voor "
        "het {lso} worden pas ondertekend als een tweede gebruiker precies die inhoud heeft "
        "goedgekeurd.",
        "sec_audit": "Auditlogboek: alleen toevoegen, met een hashketen; alleen id's en "
        "handelingen, nooit namen of waarden. Een kluis die is teruggezet naar een oudere "
        "kopie wordt herkend.",
        "sec_packages": "Ondertekende pakketten: minisign (Ed25519), versleuteld voor de "
        "ontvanger (age) als diens sleutel bekend is, met een vervaldatum; de ontvanger "
        "controleert ze voor gebruik.",
        "sec_backup": "Back-ups: één versleuteld bestand met SHA-256-controlegetallen en een HMAC.",
        "sec_disk": "Geen leesbare persoonsgegevens op schijf: tijdelijke tabellen in het "
        "geheugen, opgeslagen bestanden eerst naast de gekozen naam geschreven en dan "
        "hernoemd, niets in de tijdelijke map van het systeem; core dumps uitgeschakeld.",
        "sec_log": "Geen logbestand: waarschuwingen gaan door een filter dat alleen vaste "
        "teksten, getallen en codes doorlaat.",
        "sec_clipboard": "Klembord: wat in lvvdesk wordt gekopieerd, wordt na 30 seconden "
        "gewist, en meteen bij vergrendelen of afsluiten.",
        "col_data": "Gegevens",
        "col_roles": "Te zien voor",
        "sens_ordinary": "Gewoon en identiteit",
        "sens_health": "Gezondheid (art. 9)",
        "sens_criminal": "Strafrechtelijk (art. 10)",
        "sens_special": "Overig gevoelig",
        "none": "niemand",
        "and": "en",
        "or": "of",
    },
    "en": {
        "title": "Record of processing activities: {site}",
        "subtitle": "GDPR article 30(1): the processing of the case files lvvdesk keeps.",
        "controller": "Controller",
        "site": "Site",
        "date": "Date of this record",
        "derived": "Derived from",
        "derived_from": "the field catalogue of lvvdesk {version} ({n} fields) and the site "
        "profile `{key}`",
        "contact": "Contact details of the controller and the DPO",
        "contact_todo": "to be added by the organisation (art. 30(1)(a))",
        "scope_note": "This record describes what lvvdesk keeps and discloses. Paper files and "
        "the organisation's other systems are outside it.",
        "h_purposes": "1. Purposes (art. 30(1)(b))",
        "purpose_file": "Keeping the case file of every participant in {site}: {groups}.",
        "purpose_share": "Sharing with partners, only where a consent record or another "
        "recorded legal basis allows it (see 4).",
        "purpose_monitor": "Figures, aggregated only, for the national monitor (see 5).",
        "h_subjects": "2. Data subjects (art. 30(1)(c))",
        "subject_participants": "Participants in {site}, from registration on; including "
        "people registered but never admitted.",
        "subject_users": "Users of the vault: name and role, in the vault. The audit log "
        "records what they did, under their user number.",
        "subject_others": "Interpreters and witnesses named in a consent record: their name only.",
        "h_categories": "3. Categories of personal data (art. 30(1)(c))",
        "col_group": "Group",
        "col_fields": "Fields",
        "col_art9": "Art. 9 (health)",
        "col_art10": "Art. 10 (criminal)",
        "col_special": "Other sensitive",
        "col_never": "Never leaves",
        "col_consent": "With consent",
        "col_aggregate": "Aggregate only",
        "total": "Total",
        "table_note": "Art. 9, art. 10 and other sensitive count the fields the catalogue "
        "marks as health, criminal and special. The last three columns say what the "
        "disclosure policy lets go under a consent that covers everything: never, with "
        "consent, or not as a field but only as counts in the monitor tables. Computed "
        "fields never leave as fields.",
        "h_art9": "Art. 9 GDPR (health)",
        "h_art10": "Art. 10 GDPR (criminal data)",
        "h_special": "Other sensitive",
        "class_never": "never leave",
        "class_consent": "with consent",
        "class_consent_named": "with consent, only when the field itself is named",
        "class_aggregate": "aggregate only",
        "other_records": "Besides the fields, the vault keeps per case: consent records "
        "(recipient, purpose, scope, validity, how it was captured, the names of interpreter "
        "and witness, and the signature or scan), filled forms, drafts and a log of what was "
        "disclosed to whom.",
        "h_recipients": "4. Recipients (art. 30(1)(d))",
        "rule": "Nothing about a person leaves lvvdesk unless a consent record, or another "
        "recorded legal basis ({bases}), allows exactly that field, to exactly that "
        "recipient, for exactly that purpose, on that day. A basis other than consent needs "
        "a recorded justification.",
        "rule_health": "Health content (art. 9) never leaves; only {fields} may, when the "
        "consent's scope covers it.",
        "rule_health_none": "Health content (art. 9) never leaves.",
        "rule_criminal": "Criminal data (art. 10) leaves only when the consent names the field "
        "itself; a group in the scope is not enough.",
        "rule_never": "Fields that never leave (see 3) leave in no case.",
        "col_purpose": "Purpose",
        "col_recipients": "Usual recipients",
        "col_scope": "Usual scope",
        "chosen_per_record": "chosen per record",
        "health_advice_only": "only {fields}",
        "health_nothing": "nothing",
        "presets_note": "Usual: what lvvdesk proposes when a consent is recorded; it can be "
        "changed for each record.",
        "h_consent": "Consent at {site}",
        "model": "Model: {model}.",
        "the_form": "participation form",
        "model_form": "The {form} carries the question of consent to discuss the case in the "
        "{lso}; the answer, yes or no, is recorded for the usual recipients of the {lso}.",
        "model_later": "The {form} carries no consent question. Consent to share is asked "
        "later, per recipient. A case may stay without any sharing consent for as long as "
        "needed.",
        "initiated_by": "Asked on the initiative of: {party}.",
        "signature": "Consent to share in the {lso}, or with DT&V or the IND for any purpose, "
        "is given with a signature, on screen or on the printed form, never verbally; a "
        "refusal may be verbal.",
        "methods": "Consent is captured as: {methods}. A verbal consent needs the name of a "
        "witness.",
        "append_only": "Consent records are only added, never overwritten. A withdrawal takes "
        "effect at once.",
        "notices": "Partners that received a package get a signed notice when a consent is "
        "withdrawn or a case erased (GDPR art. 19): it names the packages and the pseudonyms "
        "by which they know the cases.",
        "h_monitor": "5. The national monitor",
        "monitor": "For the programme's national coordination lvvdesk makes a signed monitor "
        "package holding aggregate tables only: no case-level rows, no names, no client "
        "references. The package is made by: {roles}.",
        "monitor_small": "Every count from 1 to {below_minus} is withheld (shown as "
        "\u201c<{below}\u201d; the threshold is {below} unless set otherwise, at least "
        "{minimum}), and so are percentages that rest on a withheld cell. This is primary "
        "suppression only: a withheld cell can sometimes be worked out from other tables.",
        "monitor_tables": "The tables for {site}:",
        "monitor_local": "Tables that lvvdesk only saves (`lvvdesk report monitor`) withhold "
        "small counts only with `--suppress-below`; use it when they leave the organisation.",
        "h_transfers": "6. Transfers outside the EEA (art. 30(1)(e))",
        "transfers": "None. lvvdesk makes no network connections and sends nothing itself: "
        "packages are files the organisation hands to the recipients in 4.",
        "h_retention": "7. Retention and erasure (art. 30(1)(f))",
        "col_rule": "Rule",
        "col_period": "Period",
        "rule_outflow": "After outflow",
        "rule_no_admission": "Never admitted",
        "period_outflow": "{n} months after the outflow date",
        "period_no_admission": "{n} months after registration",
        "no_rule": "no rule: no automatic review",
        "review": "A person still in the LVV is never due. A rule erases nothing by itself: a "
        "case that is due is listed for review, and its erasure is confirmed by: {roles}.",
        "hold": "A case on legal hold (a procedure or complaint still running) is not erased "
        "until the hold is lifted. Placed and lifted by: {roles}.",
        "tombstone": "After erasure a record without content remains: the case's random "
        "internal id, when, by whom, the reason and which partners are owed an erasure "
        "notice; no case number, name or value. The audit log names the case by that id "
        "only.",
        "backups": "Backups made before an erasure still hold the case until they are "
        "replaced; restoring one brings it back.",
        "users_stay": "A user whose access was removed stays in the vault with their name, "
        "past work and audit entries.",
        "h_security": "8. Security measures (art. 30(1)(g), art. 32)",
        "sec_vault": "Encrypted vault: SQLCipher 4 with a random 256-bit key. Freed pages are "
        "overwritten, and after an erasure the file is rewritten.",
        "sec_slots": "A key slot per user: the vault key is wrapped separately for each user "
        "and for the recovery code, with a key from Argon2id (at least {mib} MiB).",
        "sec_roles": "Roles: who sees what follows from the role (table below). Bundles for "
        "the {lso} are signed only after a second user approved exactly that content.",
        "sec_audit": "Audit log: append-only and hash-chained; ids and actions only, never "
        "names or values. A vault put back to an older copy is noticed.",
        "sec_packages": "Signed packages: minisign (Ed25519), encrypted for the recipient (age) "
        "when their key is known, with an expiry date; the recipient checks them before use.",
        "sec_backup": "Backups: one encrypted file with SHA-256 checksums and an HMAC.",
        "sec_disk": "No readable personal data on disk: temporary tables in memory, saved "
        "files written next to the chosen name and then renamed, nothing in the system's "
        "temporary folder; core dumps switched off.",
        "sec_log": "No log file: warnings pass a filter that lets through only fixed texts, "
        "numbers and codes.",
        "sec_clipboard": "Clipboard: what is copied in lvvdesk is cleared after 30 seconds, and "
        "at once on lock or quit.",
        "col_data": "Data",
        "col_roles": "Seen by",
        "sens_ordinary": "Ordinary and identity",
        "sens_health": "Health (art. 9)",
        "sens_criminal": "Criminal (art. 10)",
        "sens_special": "Other sensitive",
        "none": "no one",
        "and": "and",
        "or": "or",
    },
}

# What may leave, as the disclosure policy decides it for a field.
_NEVER = "never"
_CONSENT = "consent"
_AGGREGATE = "aggregate"
_CLASSES = (_NEVER, _CONSENT, _AGGREGATE)

# The sensitivities the catalogue table counts, with their column heading.
_SENSITIVE = (
    (Sensitivity.HEALTH, "col_art9"),
    (Sensitivity.CRIMINAL, "col_art10"),
    (Sensitivity.SPECIAL, "col_special"),
)


@dataclass(frozen=True)
class _Policy:
    """What may leave of each field: as a field under a consent covering everything (the
    disclosure policy's answer), else only as counts (aggregate-only fields), else never."""

    leaves: Mapping[str, str]  # field key -> _NEVER, _CONSENT or _AGGREGATE
    named_only: frozenset[str]  # fields that leave only when a consent names them


def _ask_policy(catalogue: Catalogue, on: date) -> _Policy:
    """Ask ``disclose`` itself, with a case holding every field and a consent for it all,
    so that the record states the rules exactly as the policy applies them."""
    case = CaseData("processing-record", {f.key: True for f in catalogue})
    everything = ConsentRecord(
        id="all",
        case_id=case.id,
        recipient=Recipient(Party.LSO),
        purpose=Purpose.LSO,
        decision=Decision.GIVEN,
        valid_from=on,
        scope_groups=frozenset(FieldGroup),
        scope_fields=frozenset(f.key for f in catalogue),
    )
    groups_only = ConsentRecord(
        id="groups",
        case_id=case.id,
        recipient=everything.recipient,
        purpose=everything.purpose,
        decision=Decision.GIVEN,
        valid_from=on,
        scope_groups=frozenset(FieldGroup),
    )
    full = disclose(case, everything.recipient, Purpose.LSO, on, [everything], catalogue)
    leaves = {}
    for field in catalogue:
        if field.key in full.fields:
            leaves[field.key] = _CONSENT
        elif field.export is Exportability.AGGREGATE_ONLY:
            # Withheld as a field (computed ones as "never exportable"), counted in the
            # monitor tables: the catalogue, not the policy, says which are counted.
            leaves[field.key] = _AGGREGATE
        else:
            leaves[field.key] = _NEVER
    by_group = disclose(case, everything.recipient, Purpose.LSO, on, [groups_only], catalogue)
    named = frozenset(
        key
        for key, reason in by_group.withheld.items()
        if reason is WithheldReason.CRIMINAL_NOT_NAMED and leaves[key] == _CONSENT
    )
    return _Policy(leaves, named)


def _join(items: Sequence[str], words: Mapping[str, str], last: str = "and") -> str:
    """``a, b and c`` (``a, b en c``); with ``last="or"``, ``a, b or c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {words[last]} {items[-1]}"


def _in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Opvang" -> "opvang", "LSO en ..." stays."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: int = 0) -> list[str]:
    """A Markdown table; the last ``numeric`` columns are right-aligned."""
    align = ["---"] * (len(header) - numeric) + ["---:"] * numeric
    lines = [
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "| " + " | ".join(align) + " |",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _count(n: int) -> str:
    # A dash for none keeps the table easy to scan for the columns that matter.
    return str(n) if n else "–"


def _roles_with(permission: Permission, lang: str, words: Mapping[str, str]) -> str:
    roles = [r.label(lang) for r in Role if allows(r, permission)]
    return _join(roles, words) if roles else words["none"]


def _roles_seeing(sensitivity: Sensitivity, lang: str, words: Mapping[str, str]) -> str:
    probe = FieldDef("probe", "", "", FieldType.TEXT, FieldGroup.NOTES, sensitivity)
    roles = [r.label(lang) for r in Role if can_view_field(r, probe)]
    return _join(roles, words) if roles else words["none"]


def _labels(fields: Iterable[FieldDef], lang: str) -> list[str]:
    return [f.label(lang) for f in fields]


# ---------------------------------------------------------------------------------------
# The sections


def _header(
    profile: SiteProfile, organisation: str, catalogue: Catalogue, lang: str, today: date
) -> list[str]:
    w = _WORDS[lang]
    derived = w["derived_from"].format(version=__version__, n=len(catalogue), key=profile.key.value)
    return [
        f"# {w['title'].format(site=profile.name)}",
        "",
        w["subtitle"],
        "",
        f"- **{w['controller']}:** {organisation}",
        f"- **{w['site']}:** {profile.name}",
        f"- **{w['date']}:** {format_day(today, lang)}",
        f"- **{w['derived']}:** {derived}",
        f"- **{w['contact']}:** {w['contact_todo']}",
        "",
        w["scope_note"],
    ]


def _purposes(profile: SiteProfile, catalogue: Catalogue, lang: str) -> list[str]:
    w = _WORDS[lang]
    groups = [_in_sentence(g.label(lang)) for g in FieldGroup if catalogue.in_group(g)]
    return [
        f"## {w['h_purposes']}",
        "",
        "- " + w["purpose_file"].format(site=profile.name, groups=", ".join(groups)),
        "- " + w["purpose_share"],
        "- " + w["purpose_monitor"],
    ]


def _subjects(profile: SiteProfile, lang: str) -> list[str]:
    w = _WORDS[lang]
    return [
        f"## {w['h_subjects']}",
        "",
        "- " + w["subject_participants"].format(site=profile.name),
        "- " + w["subject_users"],
        "- " + w["subject_others"],
    ]


def _categories(catalogue: Catalogue, policy: _Policy, lang: str) -> list[str]:
    w = _WORDS[lang]
    header = [w["col_group"], w["col_fields"]]
    header += [w[column] for _s, column in _SENSITIVE]
    header += [w["col_never"], w["col_consent"], w["col_aggregate"]]
    rows: list[list[str]] = []
    totals = [0] * (len(header) - 1)
    for group in FieldGroup:
        fields = catalogue.in_group(group)
        if not fields:
            continue
        counts = [len(fields)]
        counts += [sum(f.sensitivity is s for f in fields) for s, _c in _SENSITIVE]
        counts += [sum(policy.leaves[f.key] == c for f in fields) for c in _CLASSES]
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
        rows.append([group.label(lang), *(_count(c) for c in counts)])
    rows.append([f"**{w['total']}**", *(f"**{_count(t)}**" for t in totals)])
    lines = [f"## {w['h_categories']}", ""]
    lines += _table(header, rows, numeric=len(header) - 1)
    lines += ["", w["table_note"]]
    for sensitivity, heading in (
        (Sensitivity.HEALTH, "h_art9"),
        (Sensitivity.CRIMINAL, "h_art10"),
        (Sensitivity.SPECIAL, "h_special"),
    ):
        lines += _sensitive_fields(catalogue, policy, sensitivity, w[heading], lang)
    lines += ["", w["other_records"]]
    return lines


def _sensitive_fields(
    catalogue: Catalogue, policy: _Policy, sensitivity: Sensitivity, heading: str, lang: str
) -> list[str]:
    """Per group, the fields of ``sensitivity`` by what may leave of them."""
    w = _WORDS[lang]
    lines: list[str] = []
    for group in FieldGroup:
        fields = [f for f in catalogue.in_group(group) if f.sensitivity is sensitivity]
        if not fields:
            continue
        parts = []
        for leaves in (_CONSENT, _AGGREGATE, _NEVER):
            chosen = [f for f in fields if policy.leaves[f.key] == leaves]
            if not chosen:
                continue
            if leaves == _CONSENT and all(f.key in policy.named_only for f in chosen):
                what = w["class_consent_named"]
            else:
                what = w[f"class_{leaves}"]
            parts.append(f"{what}: {', '.join(_labels(chosen, lang))}")
        lines.append(f"- {group.label(lang)} — {'; '.join(parts)}.")
    if not lines:
        return []
    return ["", f"**{heading}**", "", *lines]


def _advice_fields(catalogue: Catalogue, policy: _Policy, lang: str) -> list[str]:
    """The labels of the health group's fields that may leave (the advice)."""
    fields = catalogue.in_group(FieldGroup.HEALTH)
    return [f"‘{f.label(lang)}’" for f in fields if policy.leaves[f.key] == _CONSENT]


def _scope_text(
    groups: Sequence[FieldGroup], advice: Sequence[str], lang: str, words: Mapping[str, str]
) -> str:
    shown = []
    for group in groups:
        label = group.label(lang)
        if group is FieldGroup.HEALTH:
            only = (
                words["health_advice_only"].format(fields=_join(advice, words))
                if advice
                else words["health_nothing"]
            )
            label = f"{label} ({only})"
        shown.append(label)
    return ", ".join(shown)


def _recipients(
    profile: SiteProfile, catalogue: Catalogue, policy: _Policy, lang: str
) -> list[str]:
    w = _WORDS[lang]
    bases = [b.label(lang) for b in LegalBasis if b is not LegalBasis.CONSENT]
    advice = _advice_fields(catalogue, policy, lang)
    rules = [w["rule"].format(bases=_join([_in_sentence(b) for b in bases], w, "or"))]
    if advice:
        rules.append(w["rule_health"].format(fields=_join(advice, w)))
    else:
        rules.append(w["rule_health_none"])
    if policy.named_only:
        rules.append(w["rule_criminal"])
    rules.append(w["rule_never"])
    lines = [f"## {w['h_recipients']}", "", " ".join(rules), ""]
    rows = []
    for purpose in Purpose:
        recipients = [p.label(lang) for p in recipient_preset(purpose, profile)]
        shown = ", ".join(recipients) if recipients else w["chosen_per_record"]
        scope = _scope_text(scope_preset(purpose, profile), advice, lang, w)
        rows.append([purpose.label(lang), shown, scope])
    lines += _table([w["col_purpose"], w["col_recipients"], w["col_scope"]], rows)
    lines += ["", w["presets_note"], "", w["notices"], ""]
    lines += _consent_model(profile, lang)
    return lines


def _consent_model(profile: SiteProfile, lang: str) -> list[str]:
    w = _WORDS[lang]
    consent = profile.consent
    lso = profile.lso_name
    # The site's own name for the form ("intakeformulier") next to the general one.
    form = w["the_form"]
    own = profile.admission.participation_form_name
    if fold(own) != fold(form):
        form = f"{form} (‘{own}’)"
    lines = [f"### {w['h_consent'].format(site=profile.name)}", ""]
    text = [w["model"].format(model=_in_sentence(consent.model.label(lang)))]
    if consent.model is ConsentModel.PARTICIPATION_FORM:
        text.append(w["model_form"].format(form=form, lso=lso))
    else:
        text.append(w["model_later"].format(form=form))
    if consent.initiated_by is not None:
        text.append(w["initiated_by"].format(party=consent.initiated_by.label(lang)))
    lines += ["- " + " ".join(text)]
    if consent.signature_required:
        lines.append("- " + w["signature"].format(lso=lso))
    else:
        # Semicolons: a label itself holds a comma ("Verbal, witnessed").
        methods = "; ".join(_in_sentence(m.label(lang)) for m in CaptureMethod)
        lines.append("- " + w["methods"].format(methods=methods))
    lines.append("- " + w["append_only"])
    return lines


def _monitor(profile: SiteProfile, lang: str, today: date) -> list[str]:
    w = _WORDS[lang]
    # The monitor's own table list for this site (its settings decide which tables exist).
    settings = SiteSettings(
        capacity=profile.capacity,
        outflow_mapping=profile.outflow_mapping,
        safe_country_nationals_separate=profile.monitor.safe_country_nationals_separate,
        exclude_families=profile.monitor.exclude_families,
        count_only_lso_discussed=profile.monitor.count_only_lso_discussed,
    )
    tables = site_tables(profile.key.value, [], settings, today)
    below = DEFAULT_SUPPRESS_BELOW
    return [
        f"## {w['h_monitor']}",
        "",
        w["monitor"].format(roles=_roles_with(Permission.PACKAGE_PREPARE, lang, w)),
        "",
        w["monitor_small"].format(below=below, below_minus=below - 1, minimum=MIN_SUPPRESS_BELOW),
        "",
        w["monitor_tables"].format(site=profile.name),
        "",
        *(f"- {t.title(lang)}" for t in tables),
        "",
        w["monitor_local"],
    ]


def _transfers(lang: str) -> list[str]:
    w = _WORDS[lang]
    return [f"## {w['h_transfers']}", "", w["transfers"]]


def _retention(profile: SiteProfile, lang: str) -> list[str]:
    w = _WORDS[lang]
    rules = profile.retention
    outflow = rules.after_outflow_months
    no_admission = rules.without_admission_months
    rows = [
        [
            w["rule_outflow"],
            w["period_outflow"].format(n=outflow) if outflow else w["no_rule"],
        ],
        [
            w["rule_no_admission"],
            w["period_no_admission"].format(n=no_admission) if no_admission else w["no_rule"],
        ],
    ]
    lines = [f"## {w['h_retention']}", ""]
    lines += _table([w["col_rule"], w["col_period"]], rows)
    lines += [
        "",
        "- " + w["review"].format(roles=_roles_with(Permission.CASE_ERASE, lang, w)),
        "- " + w["hold"].format(roles=_roles_with(Permission.LEGAL_HOLD, lang, w)),
        "- " + w["tombstone"],
        "- " + w["backups"],
        "- " + w["users_stay"],
    ]
    return lines


def _security(profile: SiteProfile, lang: str) -> list[str]:
    w = _WORDS[lang]
    lines = [
        f"## {w['h_security']}",
        "",
        "- " + w["sec_vault"],
        "- " + w["sec_slots"].format(mib=FLOOR.memory_kib // 1024),
        "- " + w["sec_roles"].format(lso=profile.lso_name),
        "- " + w["sec_audit"],
        "- " + w["sec_packages"],
        "- " + w["sec_backup"],
        "- " + w["sec_disk"],
        "- " + w["sec_log"],
        "- " + w["sec_clipboard"],
        "",
    ]
    rows = [
        [w["sens_ordinary"], _roles_seeing(Sensitivity.ORDINARY, lang, w)],
        [w["sens_health"], _roles_seeing(Sensitivity.HEALTH, lang, w)],
        [w["sens_criminal"], _roles_seeing(Sensitivity.CRIMINAL, lang, w)],
        [w["sens_special"], _roles_seeing(Sensitivity.SPECIAL, lang, w)],
    ]
    lines += _table([w["col_data"], w["col_roles"]], rows)
    return lines


def processing_record(
    profile: SiteProfile,
    organisation: str,
    lang: str,
    today: date,
    *,
    catalogue: Catalogue | None = None,
) -> str:
    """The GDPR art. 30(1) record of processing for the caseload of ``profile``'s site,
    kept by ``organisation`` (the controller), dated ``today``, as Markdown in ``lang``
    ("nl" or "en"). ``catalogue`` defaults to the app's field catalogue.

    ``ValueError`` for another language."""
    if lang not in _WORDS:
        raise ValueError(f"no record of processing in {lang!r}: choose nl or en")
    fields = CATALOGUE if catalogue is None else catalogue
    policy = _ask_policy(fields, today)
    sections = [
        _header(profile, organisation, fields, lang, today),
        _purposes(profile, fields, lang),
        _subjects(profile, lang),
        _categories(fields, policy, lang),
        _recipients(profile, fields, policy, lang),
        _monitor(profile, lang, today),
        _transfers(lang),
        _retention(profile, lang),
        _security(profile, lang),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
