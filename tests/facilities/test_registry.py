"""`amu facilities`: a facility registered with its phones and an API key shown once and
kept only as a hash; keys rotated and revoked; phones changed; bad input refused."""
import hashlib
import json

from sqlalchemy import select, text

from gateway.models import Facility
from tests.gateway.test_cli import amu  # noqa: F401 - fixture


def test_add_prints_id_name_and_the_key_once_and_keeps_only_its_hash(amu, runtime):  # noqa: F811
    result = amu("facilities", "add", "Clinique de la Paix", "--kind", "clinic", "--region", "grand_lome",
                 "--phone", "90 00 00 77", "--phone", "+22890000078", "--format", "json")
    assert result.exit_code == 0
    added = json.loads(result.output)
    assert set(added) == {"id", "name", "api_key"} and added["name"] == "Clinique de la Paix"
    key = added["api_key"]
    prefix, key_id, secret = key.split("_", 2)
    assert prefix == "amuf" and len(key_id) == 12 and len(secret) >= 43
    with runtime.engine.connect() as connection:
        dumped = " ".join(str(row) for table in ("facilities", "facility_phones")
                          for row in connection.execute(text(f"SELECT * FROM {table}")))
    assert secret not in dumped and key not in dumped
    with runtime.db() as session:
        facility = session.scalar(select(Facility))
    assert facility.api_key_hash == hashlib.sha256(key.encode()).hexdigest()
    listed = json.loads(amu("facilities", "list", "--format", "json").output)
    assert listed == [{"id": added["id"], "name": "Clinique de la Paix", "kind": "clinic", "region": "grand_lome",
                       "phones": ["+22890000077", "+22890000078"], "key_id": key_id, "key": "active", "checks": 0}]
    assert key not in amu("facilities", "list").output


def test_bad_input_is_refused_with_a_reason_and_exit_2(amu):  # noqa: F811
    def add(*extra):
        return amu("facilities", "add", "Pharmacie Test", "--kind", "pharmacy", *extra)

    assert add("--region", "mars").exit_code == 2 and "unknown region 'mars'" in add("--region", "mars").output
    assert "not a Togo number" in add("--region", "kara", "--phone", "+33612345678").output
    assert add("--region", "kara", "--phone", "90000079").exit_code == 0
    taken = add("--region", "kara", "--phone", "90000079")
    assert taken.exit_code == 2 and "+22890000079 is already registered to facility #1" in taken.output
    assert amu("facilities", "add", "X", "--kind", "clinic", "--region", "kara").exit_code == 2
    assert amu("facilities", "add", "Hôpital", "--kind", "temple", "--region", "kara").exit_code == 2
    assert amu("facilities", "rotate-key", "99").exit_code == 1


def test_rotate_and_revoke_change_the_key_state(amu):  # noqa: F811
    first = json.loads(amu("facilities", "add", "CHU Test", "--kind", "hospital", "--region", "maritime",
                           "--format", "json").output)
    rotated = json.loads(amu("facilities", "rotate-key", str(first["id"]), "--format", "json").output)
    assert rotated["id"] == first["id"] and rotated["api_key"] != first["api_key"]
    assert "revoked" in amu("facilities", "revoke-key", str(first["id"])).output
    assert json.loads(amu("facilities", "list", "--format", "json").output)[0]["key"] == "revoked"
    again = json.loads(amu("facilities", "rotate-key", str(first["id"]), "--format", "json").output)
    assert json.loads(amu("facilities", "list", "--format", "json").output)[0]["key"] == "active"
    assert again["api_key"] not in (first["api_key"], rotated["api_key"])


def test_phones_are_added_and_removed(amu):  # noqa: F811
    amu("facilities", "add", "Pharmacie Test", "--kind", "pharmacy", "--region", "kara", "--phone", "90000081")
    assert amu("facilities", "phones", "1", "--add", "90000082", "--remove", "90000081").output.strip() == \
        "facility #1: +22890000082"
    refused = amu("facilities", "phones", "1", "--remove", "90000083")
    assert refused.exit_code == 2 and "+22890000083 is not a phone of facility #1" in refused.output
    assert amu("facilities", "phones", "1").output.strip() == "facility #1: +22890000082"


def test_checks_lists_in_csv_and_refuses_a_bad_date(amu):  # noqa: F811
    assert amu("facilities", "checks", "--format", "csv").output.strip() == (
        "code,facility_id,facility,beneficiary,service_day,checked_at,channel,asked_by,covered,reason,answers,flagged_at")
    bad = amu("facilities", "checks", "--since", "yesterday")
    assert bad.exit_code == 2 and "--since must be a date" in bad.output
