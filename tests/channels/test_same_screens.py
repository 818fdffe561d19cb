"""One journey, four channels, the same screens: a member joins, then pays 10 000 F, over
Africa's Talking (the reference), Comviva Flares, Infobip and an SMPP hub; every payment
goes through the fake provider to the ledger."""
from __future__ import annotations

import itertools
import re

from sqlalchemy import select

from gateway.models import PaymentIntent
from tests.gateway.payment_helpers import settle

JOIN = ["1", "Afi Test", "14031988", "1", "1", "1", "3", "1"]
PAY = ["1", "1", "1"]
_sessions = itertools.count(1)


class AfricasTalking:
    def __init__(self, client, msisdn):
        self.client, self.phone = client, "+" + msisdn

    def dial(self):
        self.session, self.entries = f"ATUid_{next(_sessions)}", []
        return self._post()

    def send(self, entry):
        self.entries.append(entry)
        return self._post()

    def _post(self):
        form = {"sessionId": self.session, "serviceCode": "*858#", "phoneNumber": self.phone,
                "networkCode": "61501", "text": "*".join(self.entries)}
        return self.client.post("/ussd/africastalking", data=form).get_data(as_text=True)


class Flares:
    def __init__(self, client, msisdn):
        self.client, self.msisdn = client, msisdn

    def dial(self):
        self.session = f"FL{next(_sessions)}"
        return self._get("858", newrequest="1")

    def send(self, entry):
        return self._get(entry, newrequest="0")

    def _get(self, entry, **more):
        response = self.client.get("/ussd/flares", query_string={
            "SessionID": self.session, "MSISDN": self.msisdn, "MSC": "22890100000", "input": entry, **more})
        return ("END " if response.headers["Freeflow"] == "FB" else "CON ") + response.get_data(as_text=True)


class Infobip:
    def __init__(self, client, msisdn):
        self.client, self.msisdn = client, msisdn

    def dial(self):
        self.session = f"ib-{next(_sessions)}"
        return self._post("start", text="*858#", shortCode="858")

    def send(self, entry):
        return self._post("response", text=entry)

    def _post(self, step, **body):
        reply = self.client.post(f"/ussd/infobip/session/{self.session}/{step}",
                                 json={"msisdn": self.msisdn, **body}).json
        return ("END " if reply["shouldClose"] else "CON ") + reply["ussdMenu"]


class SmppHub:
    def __init__(self, smsc, msisdn):
        self.smsc, self.msisdn = smsc, msisdn

    def dial(self):
        return str(self.smsc.dial(self.msisdn))

    def send(self, entry):
        return str(self.smsc.send(self.msisdn, entry))


def journey(phone) -> list[str]:
    screens = [phone.dial()] + [phone.send(entry) for entry in JOIN]
    screens += [phone.dial()] + [phone.send(entry) for entry in PAY]
    # each member has an AMU number and each payment a reference of its own
    return [re.sub(r"AMU[0-9A-Z]{10}", "<reference>", re.sub(r"\d{10}", "<number>", screen)) for screen in screens]


def test_a_member_joins_and_pays_with_the_same_screens_on_every_channel(
        client, bridge, smsc, runtime, fake_provider, run_jobs):
    reference = journey(AfricasTalking(client, "22890000101"))
    assert reference[8].startswith("END Bienvenue Afi Test. Votre numéro AMU: <number>")
    assert reference[-1].startswith("END Merci. Vous allez recevoir une demande de code PIN Mixx by Yas pour 10 000 F")
    assert journey(Flares(client, "22890000102")) == reference
    assert journey(Infobip(client, "22890000103")) == reference
    assert journey(SmppHub(smsc, "22890000104")) == reference

    settle(fake_provider, run_jobs)
    with runtime.db() as session:
        paid = session.execute(select(PaymentIntent.payer_phone, PaymentIntent.status, PaymentIntent.amount)
                               .order_by(PaymentIntent.id)).all()
    assert paid == [(f"+2289000010{n}", "succeeded", 10_000) for n in (1, 2, 3, 4)]
