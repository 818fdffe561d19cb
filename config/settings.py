"""Settings read from the environment, each with a documented default.

With no variable set at all, the gateway runs on its embedded default: a SQLite
file under ./var, jobs in process, the fake payment provider, SMS written to the log.
`DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and Redis (RQ).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

# name -> (default, help). `amu config` and the README table are made from this.
DOCUMENTED: dict[str, tuple[str, str]] = {
    "DATABASE_URL": ("sqlite:///var/amu.sqlite3", "SQLAlchemy URL; postgres:// URLs use psycopg 3"),
    "REDIS_URL": ("", "Redis for USSD sessions and RQ jobs; empty = in-process (one process only)"),
    "AMU_ENV": ("development", "development | production; production refuses the embedded default"),
    "AMU_SCHEME": ("AMU-TNS", "scheme new members join (config/schemes/*.toml)"),
    "AMU_USSD_MAX_CHARS": ("160", "longest USSD screen, characters of GSM-7 (ceiling 182)"),
    "AMU_USSD_SESSION_TTL": ("180", "seconds a USSD session is kept after its last hop"),
    "AMU_USSD_DRAFT_TTL": ("300", "seconds an abandoned form can be resumed by dialling again"),
    "AMU_USSD_NETWORKS": ("61501=yas,61503=moov", "Africa's Talking networkCode -> wallet network"),
    "AMU_SMS_BACKEND": ("log", "log | africastalking"),
    "AT_USERNAME": ("sandbox", "Africa's Talking username"),
    "AT_API_KEY": ("", "Africa's Talking API key (secret)"),
    "AT_SENDER_ID": ("", "SMS sender id; empty = the account's default"),
    "AMU_HTTP_TIMEOUT": ("10", "seconds, every outbound HTTP call (SMS, providers)"),
    "AMU_JOB_RETRIES": ("5", "attempts for a failing job (SMS) before it is marked failed"),
    "AMU_QUEUE_NAME": ("amu", "RQ queue name"),
    "AMU_CALLBACK_TOKEN": ("", "if set, payment callbacks and SMS delivery reports require ?token= equal to it"),
    "AMU_USSD_TOKEN": ("", "if set, every USSD route requires ?token= equal to it (the operator's gateway knows it)"),
    "AMU_USSD_ALLOWED_ADDRESSES": ("", "if set, USSD routes answer only these addresses or networks (comma-separated, CIDR allowed)"),
    "AMU_PUBLIC_URL": ("http://127.0.0.1:8000", "how providers reach this gateway (callback URLs)"),
    "AMU_PAYMENT_PROVIDER": ("fake", "adapter for new collections: fake | paygate | fedapay"),
    "AMU_PIN_PROMPT_DELAY": ("3", "seconds between the USSD goodbye and the collection request"),
    "AMU_DUPLICATE_WINDOW": ("60", "seconds in which the same payment dialled again reuses the first"),
    "AMU_MAX_PAYMENT": ("1500000", "largest single payment, francs (wallet ceilings)"),
    "AMU_POLL_HORIZON": ("86400", "seconds we keep asking a provider about a payment before reporting it"),
    "AMU_LOG_LEVEL": ("INFO", "logging level"),
    # starting payments: a payment not started by then is failed and its payer told
    "AMU_START_DEADLINE": ("600", "seconds to start a payment with its provider; then it is failed and the payer told by SMS"),
    # USSD channels other than Africa's Talking: USSD over SMPP (`amu ussd-smpp`), Flares, Infobip
    "AMU_SMPP_HOST": ("", "the operator's USSD hub (SMSC) that `amu ussd-smpp` binds to"),
    "AMU_SMPP_PORT": ("2775", "its SMPP port"),
    "AMU_SMPP_SYSTEM_ID": ("", "bind login given by the operator (at most 15 characters)"),
    "AMU_SMPP_PASSWORD": ("", "bind password given by the operator (secret, at most 8 characters)"),
    "AMU_SMPP_SYSTEM_TYPE": ("", "system_type the operator expects in the bind, often empty or USSD"),
    "AMU_SMPP_ADDRESS_RANGE": ("", "address_range of the bind, if the operator routes by it (e.g. the code 858)"),
    "AMU_SMPP_DIALECT": ("default", "how the hub marks USSD sessions: default | mica | 6d | smpp34"),
    "AMU_SMPP_NETWORK": ("", "wallet network of the phones this hub serves (yas | moov); empty = from the number"),
    "AMU_SMPP_WINDOW": ("10", "screens sent to the hub and not yet acknowledged, at most"),
    "AMU_SMPP_WORKERS": ("8", "USSD hops answered at once by one bridge process"),
    "AMU_SMPP_ENQUIRE_LINK": ("30", "seconds of silence after which the bridge checks the link (enquire_link)"),
    "AMU_SMPP_RESPONSE_TIMEOUT": ("10", "seconds the hub has to answer a bind, a screen or an enquire_link"),
    "AMU_SMPP_RECONNECT_DELAY": ("1", "seconds before the first reconnection, doubled each failure up to 60"),
    "AMU_SMPP_THROTTLE_DELAY": ("0.2", "seconds before resending a screen the hub throttled, doubled up to 2"),
    "AMU_FLARES_USERID": ("", "if set, GET /ussd/flares requires userid= equal to it"),
    "AMU_FLARES_PASSWORD": ("", "if set, GET /ussd/flares requires password= equal to it (secret)"),
    # Who may call us and what we write down (production requires the callback token and
    # a USSD token or allow-list).
    "AMU_METRICS_TOKEN": ("", "if set, GET /metrics answers a scrape carrying `Authorization: Bearer <it>`"),
    "AMU_METRICS_ALLOWED_ADDRESSES": ("", "if set, GET /metrics answers these addresses or networks (comma-separated, CIDR allowed); with neither this nor the token, /metrics is open in development and closed in production"),
    "AMU_METRICS_CACHE_SECONDS": ("30", "seconds the payment, callback and SMS counts of /metrics are kept before they are counted again"),
    "AMU_PROXY_HOPS": ("0", "reverse proxies in front of the web processes that append X-Forwarded-For; the allow-lists then read the caller from it (0: the connection's address)"),
    "AMU_LOG_PERSONAL_DATA": ("0", "1 shows phone numbers, names and SMS texts in the log (development only; refused in production)"),
    # what members are told (issue 9)
    "AMU_USSD_CODE": ("*858#", "the code members dial, named in every SMS (e.g. *858# or *858*1#, at most 10 characters)"),
    "AMU_PAYEE_LOOKUPS_PER_HOUR": ("10", "members a phone may look up per hour in Payer pour un membre (then a polite refusal)"),
    # health facilities (tiers payant): rights checks by FHIR and USSD
    "AMU_FACILITY_CHECKS_PER_MINUTE": ("60", "rights checks (FHIR requests, USSD look-ups) one facility may make per minute"),
    "AMU_CHECK_REPORT_DAYS": ("30", "days during which a member can say 'Ce n'était pas moi' about a check of their rights"),
}


def _default(name: str) -> str:
    return DOCUMENTED[name][0]


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    env: str
    scheme: str
    ussd_max_chars: int
    ussd_session_ttl: int
    ussd_draft_ttl: int
    ussd_networks: dict[str, str]
    sms_backend: str
    at_username: str
    at_api_key: str
    at_sender_id: str
    http_timeout: float
    job_retries: int
    queue_name: str
    callback_token: str
    ussd_token: str
    ussd_allowed_addresses: tuple
    public_url: str
    payment_provider: str
    pin_prompt_delay: int
    duplicate_window: int
    max_payment: int
    poll_horizon: int
    log_level: str
    start_deadline: int
    metrics_token: str
    metrics_allowed_addresses: tuple
    metrics_cache_seconds: int
    proxy_hops: int
    log_personal_data: bool
    ussd_code: str
    payee_lookups_per_hour: int
    facility_checks_per_minute: int
    check_report_days: int
    # USSD channels (gateway/smpp, gateway/web/ussd_flares.py, ussd_infobip.py)
    smpp_host: str = ""
    smpp_port: int = 2775
    smpp_system_id: str = ""
    smpp_password: str = field(default="", repr=False)
    smpp_system_type: str = ""
    smpp_address_range: str = ""
    smpp_dialect: str = "default"
    smpp_network: str | None = None
    smpp_window: int = 10
    smpp_workers: int = 8
    smpp_enquire_link: float = 30.0
    smpp_response_timeout: float = 10.0
    smpp_reconnect_delay: float = 1.0
    smpp_throttle_delay: float = 0.2
    flares_userid: str = ""
    flares_password: str = field(default="", repr=False)
    raw: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def embedded(self) -> bool:
        """True on the single-process default (SQLite or no Redis)."""
        return self.redis_url is None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = dict(os.environ if environ is None else environ)
        env.update({k: str(v) for k, v in overrides.items()})

        def get(name: str) -> str:
            value = env.get(name)
            return _default(name) if value in (None, "") else value

        def get_number(name: str, low, high, kind=int, what="a whole number", unit=""):
            text = get(name)
            try:
                value = kind(text)
            except ValueError:
                raise ValueError(f"{name} must be {what}, not {text!r}") from None
            if not low <= value <= high:  # also refuses nan
                raise ValueError(f"{name} must be between {low} and {high}{unit}, not {value}")
            return value

        def get_int(name: str, low: int, high: int) -> int:
            return get_number(name, low, high)

        def get_seconds(name: str, low: float, high: float) -> float:
            return get_number(name, low, high, float, "a number of seconds", " seconds")

        def get_short(name: str, longest: int) -> str:
            text = get(name)
            if len(text) > longest or not text.isascii():
                raise ValueError(f"{name} must be at most {longest} ASCII characters (SMPP 3.4)")
            return text

        settings = cls(
            database_url=normalise_database_url(get("DATABASE_URL")),
            redis_url=get("REDIS_URL") or None,
            env=get("AMU_ENV").strip().lower(),
            scheme=get("AMU_SCHEME"),
            ussd_max_chars=get_int("AMU_USSD_MAX_CHARS", 60, 182),
            ussd_session_ttl=get_int("AMU_USSD_SESSION_TTL", 30, 3600),
            ussd_draft_ttl=get_int("AMU_USSD_DRAFT_TTL", 0, 3600),
            ussd_networks=parse_pairs("AMU_USSD_NETWORKS", get("AMU_USSD_NETWORKS")),
            sms_backend=get("AMU_SMS_BACKEND"),
            at_username=get("AT_USERNAME"),
            at_api_key=get("AT_API_KEY"),
            at_sender_id=get("AT_SENDER_ID"),
            http_timeout=float(get_int("AMU_HTTP_TIMEOUT", 1, 120)),
            job_retries=get_int("AMU_JOB_RETRIES", 0, 50),
            queue_name=get("AMU_QUEUE_NAME"),
            callback_token=get("AMU_CALLBACK_TOKEN"),
            ussd_token=get("AMU_USSD_TOKEN"),
            ussd_allowed_addresses=parse_networks("AMU_USSD_ALLOWED_ADDRESSES", get("AMU_USSD_ALLOWED_ADDRESSES")),
            public_url=get("AMU_PUBLIC_URL").rstrip("/"),
            payment_provider=get("AMU_PAYMENT_PROVIDER"),
            pin_prompt_delay=get_int("AMU_PIN_PROMPT_DELAY", 0, 60),
            duplicate_window=get_int("AMU_DUPLICATE_WINDOW", 0, 3600),
            max_payment=get_int("AMU_MAX_PAYMENT", 100, 100_000_000),
            poll_horizon=get_int("AMU_POLL_HORIZON", 60, 30 * 86400),
            log_level=get("AMU_LOG_LEVEL").upper(),
            start_deadline=get_int("AMU_START_DEADLINE", 60, 86400),
            smpp_host=get("AMU_SMPP_HOST").strip(),
            smpp_port=get_int("AMU_SMPP_PORT", 1, 65535),
            smpp_system_id=get_short("AMU_SMPP_SYSTEM_ID", 15),
            smpp_password=get_short("AMU_SMPP_PASSWORD", 8),
            smpp_system_type=get_short("AMU_SMPP_SYSTEM_TYPE", 12),
            smpp_address_range=get_short("AMU_SMPP_ADDRESS_RANGE", 40),
            smpp_dialect=get("AMU_SMPP_DIALECT").strip().lower(),
            smpp_network=get("AMU_SMPP_NETWORK").strip().lower() or None,
            smpp_window=get_int("AMU_SMPP_WINDOW", 1, 1000),
            smpp_workers=get_int("AMU_SMPP_WORKERS", 1, 64),
            smpp_enquire_link=get_seconds("AMU_SMPP_ENQUIRE_LINK", 0.05, 3600),
            smpp_response_timeout=get_seconds("AMU_SMPP_RESPONSE_TIMEOUT", 0.05, 120),
            smpp_reconnect_delay=get_seconds("AMU_SMPP_RECONNECT_DELAY", 0.01, 60),
            smpp_throttle_delay=get_seconds("AMU_SMPP_THROTTLE_DELAY", 0.01, 2),
            flares_userid=get("AMU_FLARES_USERID"),
            flares_password=get("AMU_FLARES_PASSWORD"),
            metrics_token=get("AMU_METRICS_TOKEN"),
            metrics_allowed_addresses=parse_networks("AMU_METRICS_ALLOWED_ADDRESSES", get("AMU_METRICS_ALLOWED_ADDRESSES")),
            metrics_cache_seconds=get_int("AMU_METRICS_CACHE_SECONDS", 0, 3600),
            proxy_hops=get_int("AMU_PROXY_HOPS", 0, 5),
            log_personal_data=get_int("AMU_LOG_PERSONAL_DATA", 0, 1) == 1,
            ussd_code=parse_ussd_code(get("AMU_USSD_CODE")),
            payee_lookups_per_hour=get_int("AMU_PAYEE_LOOKUPS_PER_HOUR", 1, 1000),
            facility_checks_per_minute=get_int("AMU_FACILITY_CHECKS_PER_MINUTE", 1, 10_000),
            check_report_days=get_int("AMU_CHECK_REPORT_DAYS", 1, 365),
            raw=env,
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.env not in ("development", "production"):
            # any other word would run as development: no token required, /metrics open
            raise ValueError(f"AMU_ENV must be development or production, not {self.env!r}")
        if self.sms_backend not in ("log", "africastalking"):
            raise ValueError(f"AMU_SMS_BACKEND must be log or africastalking, not {self.sms_backend!r}")
        if self.sms_backend == "africastalking" and not self.at_api_key:
            raise ValueError("AMU_SMS_BACKEND=africastalking needs AT_API_KEY")
        if self.smpp_network not in (None, "yas", "moov"):
            raise ValueError(f"AMU_SMPP_NETWORK must be yas, moov or empty, not {self.smpp_network!r}")
        if self.env == "production" and (self.is_sqlite or self.embedded):
            raise ValueError("AMU_ENV=production needs DATABASE_URL (PostgreSQL) and REDIS_URL")
        if self.env == "production":
            self._check_production_security()

    def _check_production_security(self) -> None:
        """What the README's production section requires, refused at startup."""
        if not self.callback_token:
            raise ValueError("AMU_ENV=production needs AMU_CALLBACK_TOKEN: anyone could post payment callbacks")
        if not (self.ussd_token or self.ussd_allowed_addresses):
            raise ValueError("AMU_ENV=production needs AMU_USSD_TOKEN or AMU_USSD_ALLOWED_ADDRESSES: "
                             "anyone could drive a member's USSD session")
        if self.log_personal_data:
            raise ValueError("AMU_LOG_PERSONAL_DATA=1 is for development: production logs keep numbers masked")


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL and make the embedded SQLite file's folder exist."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    return url


def parse_ussd_code(text: str) -> str:
    """A USSD code as members dial it: *, digits, optional *digits, #; short enough that
    every SMS naming it stays one segment."""
    import re

    code = text.strip()
    if not re.fullmatch(r"\*[0-9]{2,4}(\*[0-9]{1,3})*#", code) or len(code) > 10:
        raise ValueError(f"AMU_USSD_CODE must look like *858# or *858*1# (at most 10 characters), not {text!r}")
    return code


def parse_pairs(name: str, text: str) -> dict[str, str]:
    pairs = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise ValueError(f"{name}: expected key=value pairs separated by commas, got {item!r}")
        pairs[key.strip()] = value.strip()
    return pairs


def parse_networks(name: str, text: str) -> tuple:
    """Comma-separated addresses or CIDR networks, as ip_network objects."""
    import ipaddress

    networks = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{name}: {item!r} is not an address or network (e.g. 10.0.0.5 or 10.0.0.0/24)") from None
    return tuple(networks)
