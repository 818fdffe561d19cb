import pytest

from config.settings import DOCUMENTED, Settings


def test_no_environment_means_the_embedded_default():
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///var/amu.sqlite3"
    assert settings.embedded and settings.is_sqlite
    assert settings.sms_backend == "log"
    assert settings.ussd_max_chars == 160
    assert settings.ussd_networks == {"61501": "yas", "61503": "moov"}


def test_postgres_urls_are_given_the_psycopg_driver():
    settings = Settings.from_env({"DATABASE_URL": "postgres://u@h/db", "REDIS_URL": "redis://h:6379/0"})
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert not settings.embedded


@pytest.mark.parametrize(
    "env, message",
    [
        ({"AMU_USSD_MAX_CHARS": "200"}, "between 60 and 182"),
        ({"AMU_USSD_MAX_CHARS": "lots"}, "whole number"),
        ({"AMU_SMS_BACKEND": "pigeon"}, "log or africastalking"),
        ({"AMU_SMS_BACKEND": "africastalking"}, "AT_API_KEY"),
        ({"AMU_ENV": "production"}, "PostgreSQL"),
        ({"AMU_USSD_NETWORKS": "61501"}, "key=value"),
        ({"AMU_USSD_CODE": "858"}, "AMU_USSD_CODE must look like"),
        ({"AMU_USSD_CODE": "*858*123*456#"}, "at most 10 characters"),
        ({"AMU_PAYEE_LOOKUPS_PER_HOUR": "0"}, "between 1 and 1000"),
    ],
)
def test_bad_settings_are_refused_with_the_name_of_the_variable(env, message):
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env)


def test_every_setting_has_a_documented_default_and_help():
    assert all(len(entry) == 2 and entry[1] for entry in DOCUMENTED.values())


def test_providers_are_given_a_clean_callback_url_and_the_documented_timeout(tmp_path):
    from gateway.runtime import build_runtime

    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path}/amu.sqlite3", "AMU_HTTP_TIMEOUT": "7",
                                  "AMU_PUBLIC_URL": "https://gw.example.test/", "AMU_CALLBACK_TOKEN": "a&b=c",
                                  "AMU_FAKE_BASE_URL": "http://127.0.0.1:9"})
    runtime = build_runtime(settings)
    try:
        assert runtime.callback_url("fedapay") == "https://gw.example.test/payments/fedapay/callback?token=a%26b%3Dc"
        assert runtime.adapter("fake").http.timeout[1] == 7
    finally:
        runtime.close()


def test_the_ussd_code_and_the_lookup_limit_have_defaults():
    settings = Settings.from_env({})
    assert (settings.ussd_code, settings.payee_lookups_per_hour) == ("*858#", 10)
    assert Settings.from_env({"AMU_USSD_CODE": " *858*1# "}).ussd_code == "*858*1#"
