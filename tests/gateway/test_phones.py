import pytest

from gateway.phones import InvalidPhone, default_network, masked, normalise_phone


@pytest.mark.parametrize("typed", ["90112233", "0022890112233", "+228 90 11 22 33", "+22890112233", " 90-11-22-33 "])
def test_every_usual_way_of_typing_a_togo_mobile_gives_one_number(typed):
    assert normalise_phone(typed) == "+22890112233"


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("", "empty"),
        ("hello", "not a phone number"),
        ("+2250700000000", "not a Togo number"),
        ("22212345", "not a Togo mobile"),  # a Lomé landline
        ("9011223", "not a valid Togo number"),
        ("9" * 40, "too long"),
    ],
)
def test_numbers_that_are_not_togo_mobiles_are_refused_with_a_reason(typed, reason):
    with pytest.raises(InvalidPhone, match=reason):
        normalise_phone(typed)


def test_prefix_suggests_a_network_but_97_is_left_open():
    assert default_network("+22890112233") == "yas"
    assert default_network("+22899112233") == "moov"
    assert default_network("+22897112233") is None


def test_masked_number_hides_the_middle():
    assert masked("+22890112233") == "+228 90 XX XX 33"
