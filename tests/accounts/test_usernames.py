"""The rules for "the same username", pure: no database (an accidental query fails)."""

import pytest

from accounts.usernames import LOGIN_KEY_LENGTH, login_key, skeleton, skeleton_digest


@pytest.mark.parametrize("typed", ["dave", "DAVE", "Dave", "ｄave", "𝐝𝐚𝐯𝐞", "ＤＡＶＥ"])
def test_spellings_django_logs_in_as_dave_share_its_login_key(typed):
    assert login_key(typed) == "dave"


def test_a_cyrillic_letter_is_another_login_key_but_the_same_skeleton():
    """Django would not log `dаve` in as `dave`, so the login budget need not be shared;
    sign-up still refuses the name, since it looks the same."""
    assert login_key("dаve") != "dave"
    assert skeleton("dаve") == skeleton("dave")


@pytest.mark.parametrize("look_alike", ["dаve", "ԁave", "ｄave", "𝐝𝐚𝐯𝐞", "DAVE", "Dave", "daѵe"])
def test_look_alikes_share_a_skeleton(look_alike):
    assert skeleton(look_alike) == skeleton("dave")
    assert skeleton_digest(look_alike) == skeleton_digest("dave")


@pytest.mark.parametrize("first, second", [("bill", "biIl"), ("paypal", "раураl"), ("modern", "rnodern"), ("lee", "1ee")])
def test_letters_that_read_alike_share_a_skeleton(first, second):
    assert skeleton(first) == skeleton(second)


@pytest.mark.parametrize("first, second", [("dave", "david"), ("dana", "dane"), ("sam", "sam2")])
def test_different_names_have_different_skeletons(first, second):
    assert skeleton(first) != skeleton(second)


def test_the_longest_expansion_still_fits_the_columns():
    """NFKC turns U+FDFA into 18 letters: the login key is cut to the column, the skeleton
    is kept whole behind a fixed-length digest."""
    name = "\ufdfa" * 150
    assert len(login_key(name)) == LOGIN_KEY_LENGTH
    assert len(skeleton(name)) > 2000 and len(skeleton_digest(name)) == 64
