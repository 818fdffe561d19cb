"""The text so far of USSD sessions whose gateway sends one entry at a time (Flares,
Infobip, SMPP hubs): kept per (channel, the gateway's session reference, phone) with the
engine's own session id, so that each hop reaches the engine as Africa's Talking's
cumulative `text` would. Kept in Redis with the sessions' time-to-live when there is a
Redis (several processes share them), in this process otherwise."""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from gateway.channels.fields import split_dialled
from gateway.models import UssdSessionEvent
from gateway.phones import masked
from ussd_menus import Reply, UssdRequest

log = logging.getLogger("amu.ussd")
ANY_PHONE = "-"  # the store keys by phone too: the phone index is found by the gateway's reference alone


@dataclass
class ChannelSession:
    session_id: str  # the engine's session id: ours, new for every dialogue
    phone: str  # E.164
    network: str | None
    service_code: str
    text: str = ""  # the entries so far, joined by "*"
    hops: int = 0
    started: float = 0.0  # epoch seconds

    def add(self, entry: str) -> None:
        self.text = f"{self.text}*{entry}" if self.text else entry

    def request(self) -> UssdRequest:
        return UssdRequest(self.session_id, self.phone, self.network, self.service_code, self.text)


class ChannelSessions:
    def __init__(self, runtime):
        """Kept in the runtime's USSD session store, beside the engine's sessions and with
        their time-to-live (Redis, or this process's memory on the embedded default)."""
        self.runtime, self.store = runtime, runtime.sessions

    @staticmethod
    def _key(channel: str, ref: str, phone: str) -> str:
        return f"channel:{channel}:{ref}:{phone}"

    @staticmethod
    def _phone_key(channel: str, ref: str) -> str:
        return f"channel-phone:{channel}:{ref}"

    def answer(self, hop, channel: str, ref: str, phone: str, network: str | None, entry: str, *,
               new: bool | None, by_ref: bool = False) -> Reply:
        """One hop. `new`: the gateway says this message opens a dialogue (`entry` is then
        the code dialled, e.g. '*858#' or Flares' '858*1'), or continues one (`entry` is
        the phone's next entry); None: it does not say, so the message opens a dialogue
        unless one is kept for (channel, ref, phone). A dialogue forgotten meanwhile
        (expired) starts again at home, as an expired Africa's Talking session does.
        The text so far is kept before the screen goes (a hub may send the next entry
        at once, on another bind); a store that cannot be reached ends the session
        politely. `by_ref`: the gateway's end and status calls name the session but not
        the phone (Infobip), so which phone it belongs to is kept too."""
        key = self._key(channel, ref, phone)
        try:
            found = None if new else self.store.load(key, phone)
        except Exception:  # noqa: BLE001 - the phone hears that we failed, never a 5xx
            log.exception("USSD channel sessions unreachable")
            return Reply(hop.apology(phone), True)
        if found:
            current = ChannelSession(**found)
            current.add(entry)
        else:
            code, entries = split_dialled(entry) if new is not False else ("", "")
            current = ChannelSession(f"{channel}-{uuid.uuid4().hex}", phone, network, code, entries,
                                     started=time.time())
        reply = hop.handle(current.request())
        try:
            if reply.end:
                self.store.delete(key, phone)
            else:
                current.hops += 1
                self.store.save(key, phone, dict(vars(current)))  # flat: no deep copy
                if by_ref:
                    self.store.save(self._phone_key(channel, ref), ANY_PHONE, {"phone": phone})
        except Exception:  # noqa: BLE001
            log.exception("USSD channel session not kept: %s", masked(phone))
            return Reply(hop.apology(phone), True)  # the next entry could not be understood
        return reply

    def phone_for(self, channel: str, ref: str) -> str | None:
        """The phone of a dialogue kept `by_ref`, while it is kept."""
        found = self.store.load(self._phone_key(channel, ref), ANY_PHONE)
        return found.get("phone") if found else None

    def active(self, channel: str, ref: str) -> bool:
        """Whether a dialogue kept `by_ref` is still going on."""
        try:
            phone = self.phone_for(channel, ref)
            return phone is not None and bool(self.store.load(self._key(channel, ref, phone), phone))
        except Exception:  # noqa: BLE001 - the gateway still gets its answer
            log.exception("USSD channel sessions unreachable")
            return False

    def end(self, hop, channel: str, ref: str, phone: str | None, raw: dict) -> ChannelSession | None:
        """The gateway says the dialogue is over (the user hung up or it timed out): forget
        it; a form in progress stays offered for resuming (the phone's draft). A dialogue
        left mid-way is recorded like Africa's Talking's end notifications (Incomplete).
        `phone` None: a dialogue kept `by_ref`."""
        try:
            phone = phone or self.phone_for(channel, ref)
            if phone is None:
                return None
            key = self._key(channel, ref, phone)
            found = self.store.load(key, phone)
            if not found:
                return None
            self.store.delete(key, phone)
            current = ChannelSession(**found)
            hop.abandon(current.session_id, current.phone)
        except Exception:  # noqa: BLE001 - it expires on its own; the gateway still gets its answer
            log.exception("USSD channel session not forgotten: %s", masked(phone or ""))
            return None
        self._record_incomplete(current, raw)
        return current

    def _record_incomplete(self, current: ChannelSession, raw: dict) -> None:
        try:
            with self.runtime.db.begin() as session:
                session.add(UssdSessionEvent(
                    session_id=current.session_id, phone=current.phone, status="Incomplete",
                    hops=current.hops, duration_ms=int((time.time() - current.started) * 1000), raw=raw,
                ))
        except IntegrityError:
            pass  # the same end told twice
        except Exception:  # noqa: BLE001 - a lost statistic must not break the channel
            log.exception("USSD session end not recorded: %s", masked(current.phone))
