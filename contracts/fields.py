"""The columns of every source export: the one place their names, kinds and status live.

A reader yields these columns as text; the contract checks and types them; the raw table
holds them typed. `source_name` is the column's name in the file when it differs (the
JSON path for aptj_b).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """How a column's text is checked and typed (see contracts.kinds)."""

    TEXT = "text"  # any non-blank text
    HETU = "hetu"  # personal identity code; pseudonymised at ingestion
    MUNICIPALITY = "municipality"  # three digits, one of the region's seven
    MUNICIPALITY_OR_REGION = "municipality_or_region"  # ... or 000, the whole region
    OID = "oid"  # SOTE organisation register OID 1.2.246.10.<digits>
    CODE = "code"  # a value of a code list (a seed)
    LOCAL_TS = "local_ts"  # YYYY-MM-DD HH:MM:SS, Europe/Helsinki wall clock
    LOCAL_TS_FI = "local_ts_fi"  # DD.MM.YYYY HH:MM:SS, Europe/Helsinki wall clock
    UTC_TS = "utc_ts"  # YYYY-MM-DDTHH:MM:SS[.fff]Z
    DATE_FI = "date_fi"  # DD.MM.YYYY
    DECIMAL_FI = "decimal_fi"  # decimal comma, optional (no-break) space thousands
    INTEGER = "integer"
    YEAR = "year"  # four digits
    ACCOUNT = "account"  # four digits
    FLAG01 = "flag01"  # 0 / 1
    JSON_BOOL = "json_bool"  # true / false
    DG_LIST = "dg_list"  # diagnosis codes separated by ','


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool
    description: str
    codelist: str | None = None  # seed name, for Kind.CODE
    codelist_column: str = "code"  # the seed column holding the valid values
    source_name: str | None = None  # name in the file when it differs from `name`
    scale: int = 2  # decimals kept, for Kind.DECIMAL_FI
    pattern: str | None = None  # regex one element must match, for Kind.DG_LIST

    @property
    def file_name(self) -> str:
        return self.source_name or self.name


F = Field
K = Kind

# One diagnosis code: ICD-10 like J06.9 or S52.52 (a dagger/asterisk pair like A17.0+G01* too),
# ICPC-2 like R74 or -30 (process codes).
ICD10 = r"[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?[+*&#]?"
ICPC2 = r"[A-Z-][0-9]{2}(\.[0-9]{1,2})?"

APTJ_A: tuple[Field, ...] = (
    F("kaynti_id", K.TEXT, True, "visit id within system A (one visit, one id, however many versions)"),
    F("hetu", K.HETU, True, "client's personal identity code"),
    F("kotikunta", K.MUNICIPALITY, True, "client's home municipality at the visit"),
    F("toimipiste_oid", K.OID, True, "unit that produced the visit"),
    F("palvelumuoto", K.CODE, True, "service type", codelist="palvelumuoto"),
    F("yhteystapa", K.CODE, True, "contact type", codelist="yhteystapa"),
    F("kiireellisyys", K.CODE, True, "K urgent, E non-urgent", codelist="kiireellisyys"),
    F("ammatti", K.CODE, True, "professional group", codelist="ammatti"),
    F("yhteydenotto_aika", K.LOCAL_TS, False, "when the client first made contact"),
    F("hoidon_tarve_arvioitu_aika", K.LOCAL_TS, False, "when the care need was assessed"),
    F("kaynti_alku", K.LOCAL_TS, True, "when the visit (or remote contact) started"),
    F("tila", K.CODE, True, "T realised, P cancelled, E did not come, D deleted", codelist="kaynti_tila"),
    F("icd10", K.DG_LIST, False, "ICD-10 diagnoses separated by ','", pattern=ICD10),
    F("icpc2", K.DG_LIST, False, "ICPC-2 reasons for visit separated by ','", pattern=ICPC2),
    F("muokattu", K.LOCAL_TS, True, "last modification; a later version has a later value"),
)

APTJ_B: tuple[Field, ...] = (
    F("encounter_id", K.TEXT, True, "visit id within system B", source_name="encounterId"),
    F(
        "version",
        K.INTEGER,
        True,
        "version of the encounter, >= 1; the highest is current",
        source_name="version",
    ),
    F("updated_at", K.UTC_TS, True, "last modification (UTC)", source_name="updatedAt"),
    F("patient_ssn", K.HETU, True, "client's personal identity code", source_name="patient.ssn"),
    F(
        "patient_municipality",
        K.MUNICIPALITY,
        True,
        "client's home municipality at the visit",
        source_name="patient.municipality",
    ),
    F("unit_oid", K.OID, True, "unit that produced the visit", source_name="unit.oid"),
    F("unit_name", K.TEXT, False, "unit name", source_name="unit.name"),
    F(
        "service_type",
        K.CODE,
        True,
        "service type (palvelumuoto)",
        codelist="palvelumuoto",
        source_name="serviceType",
    ),
    F(
        "contact_mode",
        K.CODE,
        True,
        "contact type (yhteystapa)",
        codelist="yhteystapa",
        source_name="contactMode",
    ),
    F("urgent", K.JSON_BOOL, True, "true = urgent", source_name="urgent"),
    F(
        "staff_role",
        K.CODE,
        True,
        "professional group (maps to ammatti)",
        codelist="ammatti",
        codelist_column="staff_role",
        source_name="staffRole",
    ),
    F("contact_at", K.UTC_TS, False, "when the client first made contact (UTC)", source_name="contactAt"),
    F("assessed_at", K.UTC_TS, False, "when the care need was assessed (UTC)", source_name="assessedAt"),
    F("start_at", K.UTC_TS, True, "when the visit started (UTC)", source_name="startAt"),
    F(
        "status",
        K.CODE,
        True,
        "completed, cancelled, no_show, entered_in_error",
        codelist="kaynti_tila",
        codelist_column="aptj_b_status",
        source_name="status",
    ),
    F(
        "icd10",
        K.DG_LIST,
        False,
        "ICD-10 codes of diagnoses[] (system ICD-10), joined by ','",
        source_name="diagnoses",
        pattern=ICD10,
    ),
    F(
        "icpc2",
        K.DG_LIST,
        False,
        "ICPC-2 codes of diagnoses[] (system ICPC-2), joined by ','",
        source_name="diagnoses",
        pattern=ICPC2,
    ),
    F(
        "purchased_from",
        K.TEXT,
        False,
        "provider organisation of a bought visit",
        source_name="purchasedFrom",
    ),
)

OMAOLO: tuple[Field, ...] = (
    F("asiointi_id", K.TEXT, True, "transaction id"),
    F("hetu", K.HETU, False, "identified user; blank = anonymous use; when present it must be valid"),
    F("kunta", K.MUNICIPALITY, True, "municipality the service was used for"),
    F("palvelu", K.CODE, True, "e-service", codelist="omaolo_palvelu"),
    F("aloitettu", K.UTC_TS, True, "started (UTC)"),
    F("valmistunut", K.UTC_TS, True, "completed (UTC)"),
    F("tyojonolle", K.FLAG01, True, "1 = sent to a professional's work queue"),
)

SOS_PAATOKSET: tuple[Field, ...] = (
    F("paatos_id", K.TEXT, True, "decision id"),
    F("hetu", K.HETU, True, "client"),
    F("kunta", K.MUNICIPALITY, True, "client's home municipality"),
    F("palvelu", K.CODE, True, "social service", codelist="sosiaalipalvelu"),
    F("alkupvm", K.DATE_FI, True, "decision valid from"),
    F("loppupvm", K.DATE_FI, False, "valid to; blank = until further notice"),
    F("ratkaisu", K.CODE, True, "M granted, K refused", codelist="paatos_ratkaisu"),
    F("muokattu", K.LOCAL_TS_FI, True, "last modification"),
)

SOS_SUORITTEET: tuple[Field, ...] = (
    F("suorite_id", K.TEXT, True, "delivery id"),
    F("paatos_id", K.TEXT, True, "decision it was delivered under"),
    F("pvm", K.DATE_FI, True, "day of delivery"),
    F("maara", K.DECIMAL_FI, True, "amount, > 0", scale=3),
    F("yksikko", K.CODE, True, "kerta / tunti / vrk", codelist="suorite_yksikko"),
    F("kanava", K.CODE, True, "lahi / eta / sahkoinen", codelist="suorite_kanava"),
    F("poistettu", K.FLAG01, True, "1 = delivery withdrawn (entered in error)"),
)

TALOUS_KIRJAUKSET: tuple[Field, ...] = (
    F("tosite", K.TEXT, True, "voucher number"),
    F("rivi", K.INTEGER, True, "line within the voucher"),
    F("kirjauspvm", K.DATE_FI, True, "posting date"),
    F("kustannuspaikka", K.TEXT, True, "cost centre"),
    F("tili", K.ACCOUNT, True, "account; 3000-3999 operating income, 4000-4999 operating expenses"),
    F("summa", K.DECIMAL_FI, True, "euros, debit positive, credit negative", scale=2),
    F("selite", K.TEXT, False, "description"),
)

TALOUS_KUSTANNUSPAIKAT: tuple[Field, ...] = (
    F("kustannuspaikka", K.TEXT, True, "cost centre"),
    F("nimi", K.TEXT, True, "cost centre name"),
    F("kunta", K.MUNICIPALITY_OR_REGION, True, "municipality, or 000 for region-wide"),
    F("palveluluokka", K.CODE, True, "service class", codelist="palveluluokka"),
    F("voimassa_alkaen", K.DATE_FI, True, "valid from"),
    F("voimassa_asti", K.DATE_FI, False, "valid to; blank = open"),
)

VAESTO: tuple[Field, ...] = (
    F("kunta", K.MUNICIPALITY, True, "municipality"),
    F("vuosi", K.YEAR, True, "year (population on 31 December)"),
    F("sukupuoli", K.CODE, True, "1 men, 2 women", codelist="sukupuoli"),
    F("ikaryhma", K.CODE, True, "age group", codelist="ikaryhma"),
    F("vaesto", K.INTEGER, True, "population"),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "aptj_a": APTJ_A,
    "aptj_b": APTJ_B,
    "omaolo": OMAOLO,
    "sos_paatokset": SOS_PAATOKSET,
    "sos_suoritteet": SOS_SUORITTEET,
    "talous_kirjaukset": TALOUS_KIRJAUKSET,
    "talous_kustannuspaikat": TALOUS_KUSTANNUSPAIKAT,
    "vaesto": VAESTO,
}

# Every raw row also carries where it came from.
META_COLUMNS: tuple[str, ...] = ("_file_name", "_line_number", "_file_date", "_file_version", "_loaded_at")
