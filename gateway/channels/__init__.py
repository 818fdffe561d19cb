"""USSD channels: each operator gateway's own format, translated to and from the engine's
channel-neutral `UssdRequest` / `Reply` (gateway/ussd_hop.py).

| channel | adapter | session named by |
|---|---|---|
| Africa's Talking | gateway/web/ussd_africastalking.py | its `sessionId`, cumulative `text` |
| Comviva Flares (HTTP pull) | gateway/web/ussd_flares.py | `SessionID` + `MSISDN`, one entry a hit |
| Infobip | gateway/web/ussd_infobip.py | the session id in the path + `msisdn` |
| USSD over SMPP 3.4 | gateway/smpp/ (`amu ussd-smpp`) | the hub's dialogue reference + number |

Africa's Talking sends the cumulative text itself; the others send one entry at a time,
so `ChannelSessions` keeps, per (channel, the gateway's session reference, phone), the text
so far and the engine's session id, in Redis next to the engine's sessions (several web or
bridge processes share them).
"""
from gateway.channels.fields import NOT_TOGO, international_phone, network_for, split_dialled
from gateway.channels.sessions import ChannelSession, ChannelSessions

__all__ = [
    "NOT_TOGO", "ChannelSession", "ChannelSessions", "international_phone", "network_for", "split_dialled",
]
