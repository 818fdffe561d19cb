import pytest

from gateway.amu_numbers import InvalidAmuNumber, clean_amu_number, is_valid_amu_number, new_amu_number


def test_new_numbers_are_ten_digits_that_pass_their_own_check():
    numbers = {new_amu_number() for _ in range(500)}
    assert len(numbers) == 500
    assert all(len(n) == 10 and n.isdigit() and is_valid_amu_number(n) for n in numbers)


def test_every_single_digit_typo_is_caught():
    number = new_amu_number()
    for position in range(10):
        for digit in "0123456789":
            if digit != number[position]:
                typo = number[:position] + digit + number[position + 1 :]
                assert not is_valid_amu_number(typo), typo


def test_every_swap_of_neighbouring_digits_is_caught():
    for _ in range(50):
        number = new_amu_number()
        for i in range(9):
            if number[i] != number[i + 1]:
                swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
                assert not is_valid_amu_number(swapped)


def test_spaces_and_dashes_are_ignored_and_reasons_are_given():
    number = new_amu_number()
    assert clean_amu_number(f"{number[:4]} {number[4:7]}-{number[7:]}") == number
    with pytest.raises(InvalidAmuNumber, match="10 digits"):
        clean_amu_number(number[:9])
    with pytest.raises(InvalidAmuNumber, match="digits only"):
        clean_amu_number("12345abcde")
    with pytest.raises(InvalidAmuNumber, match="mistyped"):
        clean_amu_number(number[:9] + str((int(number[9]) + 1) % 10))
