"""A new language reaches every part of the gateway from its folder alone (issue 9 item 7):
the database stores it (no CHECK constraint lists languages any more), enrolment and the
Langue menu accept it, its SMS, reminder day names, reference labels and the hop's
apology come from it."""
import pytest

from gateway.models import Member, PhonePreference
from gateway.services.menu_facade import GatewayMenuServices
from gateway.sms.texts import render_sms
from gateway.ussd_hop import sorry
from tests.gateway.factories import enrolment
from tests.ussd.test_languages import gateway_speaking_pseudo, pseudo_root  # noqa: F401 (fixtures)


def test_a_member_joins_in_the_new_language_and_reads_its_sms(runtime, gateway_speaking_pseudo, run_jobs, sms):
    services = GatewayMenuServices(runtime)
    services.set_language("+22890000095", "xx")
    member = services.enrol(enrolment(phone="+22890000095", language="xx", full_name="Afi Test"))
    run_jobs()
    with runtime.db() as session:
        assert session.get(Member, member.id).language == "xx"
        assert session.get(PhonePreference, "+22890000095").language == "xx"
    assert sms.sent[-1][1] == (f"AMU TOGO: BIENVENUE Afi! VOTRE NUMÉRO AMU: {member.amu_number}. GARDEZ-LE POUR "
                               "PAYER ET POUR VOS SOINS. MENU AMU: *858#")


def test_the_other_parts_speak_it(gateway_speaking_pseudo):
    from config.reference import reference_lists
    from gateway.services import reminders  # noqa: F401 (its day names are the registry's)

    assert sorry("xx") == "SERVICE MOMENTANÉMENT INDISPONIBLE. RÉESSAYEZ DANS QUELQUES MINUTES."
    assert gateway_speaking_pseudo.text("xx", "weekday.1") == "MARDI"
    assert reference_lists().occupations[0].labels["xx"] == "MARCHAND(E)"
    assert render_sms("payment_failed", "xx", amount="10 000 F", reference="AMU0123456789", code="*858#").startswith(
        "AMU TOGO: LE PAIEMENT DE 10 000 F")


def test_an_unknown_language_is_refused_by_the_services(runtime):
    with pytest.raises(ValueError, match="unknown language 'zz'"):
        GatewayMenuServices(runtime).set_language("+22890000096", "zz")
    with pytest.raises(ValueError, match="unknown language 'zz'"):
        GatewayMenuServices(runtime).enrol(enrolment(phone="+22890000096", language="zz"))
