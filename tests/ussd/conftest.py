import pytest

from ussd_menus import Engine

from .fakes import TODAY, FakeServices
from .phone import Phone

NEW_PHONE = "+22890112233"
MEMBER_PHONE = "+22899887766"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(today=lambda: TODAY)


@pytest.fixture
def services() -> FakeServices:
    return FakeServices()


@pytest.fixture
def phone(engine, services) -> Phone:
    """A phone that is not a member yet."""
    return Phone(engine, services, NEW_PHONE)


@pytest.fixture
def member_phone(engine, services) -> Phone:
    services.add_member(MEMBER_PHONE)
    return Phone(engine, services, MEMBER_PHONE)
