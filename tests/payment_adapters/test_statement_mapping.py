"""Column mappings are data finance adapts without code: a copy of the shipped TOML
file, pointed to by AMU_<PROVIDER>_STATEMENT_MAPPING, reads the export the dashboard
really produces; a mapping that cannot be used is refused with what to fix."""
from __future__ import annotations

from pathlib import Path

import pytest

from payment_adapters import AdapterConfigError, LineKind, StatementError, StatementStatus
from payment_adapters import build_adapter
from payment_adapters.statement_mapping import load_mapping, shipped_mapping_path

from .test_statement_golden import ADAPTER_SETTINGS

FRENCH_MAPPING = """
# Our FedaPay export, as the dashboard in French saves it from Excel.
provider = "fedapay"
delimiter = ";"
encoding = "cp1252"
header_row = 3
date_formats = ["%d/%m/%Y %H:%M"]
optional_columns = ["Réf. opérateur"]

[columns]
provider_reference = "N° transaction"
reference = "Référence marchand"
operator_reference = "Réf. opérateur"
amount = "Montant"
fee = "Frais"
phone = "Téléphone"
network = "Moyen de paiement"
status = "Statut"
occurred_at = ["Date d'approbation", "Date de création"]

[statuses]
succeeded = ["Approuvée", "Transférée"]
failed = ["Refusée", "Annulée"]
refunded = ["Remboursée"]

[networks]
yas = ["Mixx by Yas"]
moov = ["Moov Money"]

[payouts]
column = "Type"
values = ["Virement"]
"""

FRENCH_EXPORT = (
    "Relevé FedaPay;;;;;;;;;;\r\n"
    "Mars 2025;;;;;;;;;;\r\n"
    "N° transaction;Référence marchand;Montant;Frais;Téléphone;Moyen de paiement;Statut;"
    "Date de création;Date d'approbation;Type\r\n"
    "104201;AMU0K4M7Q2X9B;5 000;75;90 00 00 01;Mixx by Yas;APPROUVÉE;03/03/2025 08:14;"
    "03/03/2025 08:15;Paiement\r\n"
    "104205;AMU2C9P4S6V1D;3 000;0;90 00 00 04;Moov Money;Refusée;11/03/2025 10:00;;Paiement\r\n"
    "V-0003;;120 000;0;;;Transférée;31/03/2025 17:00;31/03/2025 17:00;Virement\r\n"
)


def fedapay(**settings):
    return build_adapter("fedapay", {**ADAPTER_SETTINGS["fedapay"], **settings})


def test_finance_reads_its_own_export_with_an_adapted_mapping(tmp_path):
    mapping = tmp_path / "fedapay-fr.toml"
    mapping.write_text(FRENCH_MAPPING, encoding="utf-8")
    export = tmp_path / "releve-mars.csv"
    export.write_bytes(FRENCH_EXPORT.encode("cp1252"))

    lines = list(fedapay(AMU_FEDAPAY_STATEMENT_MAPPING=str(mapping)).import_statement(export))

    assert [(l.line_number, l.provider_reference, l.reference, l.amount, l.fee, l.phone,
             l.network, l.status, l.kind, l.occurred_at.isoformat()) for l in lines] == [
        (4, "104201", "AMU0K4M7Q2X9B", 5000, 75, "+22890000001", "yas",
         StatementStatus.SUCCEEDED, LineKind.COLLECTION, "2025-03-03T08:15:00+00:00"),
        (5, "104205", "AMU2C9P4S6V1D", 3000, 0, "+22890000004", "moov",
         StatementStatus.FAILED, LineKind.COLLECTION, "2025-03-11T10:00:00+00:00"),
        (6, "V-0003", None, 120000, 0, None, None,
         StatementStatus.SUCCEEDED, LineKind.PAYOUT, "2025-03-31T17:00:00+00:00"),
    ]
    assert all(l.operator_reference is None for l in lines)  # optional column, absent here


def test_the_shipped_mapping_does_not_read_that_export(tmp_path):
    export = tmp_path / "releve-mars.csv"
    export.write_bytes(FRENCH_EXPORT.encode("cp1252"))
    with pytest.raises(StatementError, match=r"^not a fedapay statement: releve-mars.csv: "):
        fedapay().import_statement(export)


@pytest.mark.parametrize("provider", ["fake", "fedapay", "paygate"])
def test_every_shipped_mapping_loads_and_names_its_columns(provider):
    mapping = load_mapping(provider)
    assert mapping.origin == shipped_mapping_path(provider)
    assert {"amount"} <= set(mapping.columns) and mapping.required_columns()
    assert set(mapping.statuses.values()) >= {StatementStatus.SUCCEEDED, StatementStatus.FAILED}


GOOD = FRENCH_MAPPING


@pytest.mark.parametrize("change, reason", [
    (lambda t: t.replace("[columns]", "[columns"), "not valid TOML"),
    (lambda t: t.replace('amount = "Montant"\n', ""), "[columns] has no 'amount'"),
    (lambda t: t.replace('fee = "Frais"', 'frais = "Frais"'), "[columns] 'frais' is not a statement field"),
    (lambda t: t.replace('amount = "Montant"', 'amount = ["Montant", "Total"]'), "must be one column name"),
    (lambda t: t.replace('amount = "Montant"', "amount = 3"), "must be text in quotes"),
    (lambda t: t.replace("refunded = ", "reversed = "), "[statuses] 'reversed' is not one of"),
    (lambda t: t.replace('refunded = ["Remboursée"]', 'refunded = ["Refusée"]'),
     "'Refusée' is listed under two meanings"),
    (lambda t: t.replace('yas = ["Mixx by Yas"]', 'mtn = ["MTN"]'), "[networks] 'mtn' is not one of yas, moov"),
    (lambda t: t.replace('delimiter = ";"', 'delimiter = ";;"'), "delimiter must be one character"),
    (lambda t: t.replace('"cp1252"', '"klingon"'), "encoding 'klingon' is not one Python knows"),
    (lambda t: t.replace("header_row = 3", "header_row = 0"), "header_row must be a row number"),
    (lambda t: t.replace('["%d/%m/%Y %H:%M"]', '["dd/mm/yyyy"]'), "has no %-codes"),
    (lambda t: t.replace('provider = "fedapay"', 'provider = "paygate"'), "written for 'paygate'"),
    (lambda t: 'colour = "red"\n' + t, "unknown setting 'colour'"),
    (lambda t: t.replace('values = ["Virement"]', ""), "[payouts] needs exactly column"),
    (lambda t: t.replace('values = ["Virement"]', 'values = ["Virement"]\ncollections = ["VIREMENT"]'),
     "listed as both a payout and a collection"),
    (lambda t: t.replace('succeeded = ["Approuvée", "Transférée"]', 'succeeded = []'),
     "must name at least one non-empty value"),
])
def test_a_mapping_that_cannot_be_used_is_refused_with_what_to_fix(tmp_path, change, reason):
    mapping = tmp_path / "broken.toml"
    mapping.write_text(change(GOOD), encoding="utf-8")
    adapter = fedapay(AMU_FEDAPAY_STATEMENT_MAPPING=str(mapping))  # collections still work

    with pytest.raises(AdapterConfigError) as error:
        adapter.import_statement(tmp_path / "any.csv")

    assert str(error.value).startswith(f"statement mapping {mapping}: ")
    assert reason in str(error.value) and "\n" not in str(error.value)


def test_a_missing_or_unreadable_mapping_file_is_refused(tmp_path):
    with pytest.raises(AdapterConfigError, match="nowhere.toml: cannot be read"):
        fedapay(AMU_FEDAPAY_STATEMENT_MAPPING=str(tmp_path / "nowhere.toml")).statement_importers
    binary = tmp_path / "latin.toml"
    binary.write_bytes(GOOD.encode("cp1252"))
    with pytest.raises(AdapterConfigError, match="not"):
        fedapay(AMU_FEDAPAY_STATEMENT_MAPPING=str(binary)).statement_importers


@pytest.mark.parametrize("name, value, problem", [
    ("AMU_PAYGATE_STATEMENT_ATTEMPTS", "0", "STATEMENT_ATTEMPTS must be a whole number"),
    ("AMU_PAYGATE_STATEMENT_ATTEMPTS", "2.5", "STATEMENT_ATTEMPTS must be a whole number"),
    ("AMU_PAYGATE_STATEMENT_BACKOFF", "-1", "must not be negative"),
    ("AMU_PAYGATE_STATEMENT_PAGE_SIZE", "501", "STATEMENT_PAGE_SIZE must be a whole number"),
])
def test_statement_pull_settings_are_checked(name, value, problem):
    with pytest.raises(AdapterConfigError, match=problem):
        build_adapter("paygate", {**ADAPTER_SETTINGS["paygate"], name: value})


def test_the_mapping_is_read_once_per_adapter(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text(Path(shipped_mapping_path("fedapay")).read_text(encoding="utf-8"))
    adapter = fedapay(AMU_FEDAPAY_STATEMENT_MAPPING=str(mapping))
    first = adapter.statement_mapping
    mapping.write_text("broken [", encoding="utf-8")
    assert adapter.statement_mapping is first
    assert [importer.name for importer in adapter.statement_importers] == [
        "fedapay-csv", "fedapay-xlsx"]
