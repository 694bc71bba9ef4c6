"""When two usernames are "the same": pure rules, no Django.

`login_key` is what the login limits count: the name as Django's username field normalises
it (NFKC), case-folded, so `ｄave`, `𝐝𝐚𝐯𝐞` and `DAVE` all spend the budget of `dave`.

`skeleton` is stricter, for sign-up: names with one skeleton look alike on screen. It is
Unicode TR39's skeleton (ICU's spoof checker, so Unicode's own confusables data) taken on
both sides of case folding: before it, so a capital `I` already reads as `l`; after it, so
case does not matter (`DAVE`, `dаve` with a Cyrillic `а`, and `dave` are one skeleton).
"""

import hashlib
import unicodedata

import icu

# The login-failure column's width: Django's username field takes 150 characters, and what
# NFKC makes longer is still the same person's budget.
LOGIN_KEY_LENGTH = 150

_spoof_checker = icu.SpoofChecker()


def login_key(username: str) -> str:
    return unicodedata.normalize("NFKC", username).casefold()[:LOGIN_KEY_LENGTH]


def _tr39_skeleton(text: str) -> str:
    return _spoof_checker.getSkeleton(0, text)


def skeleton(username: str) -> str:
    return _tr39_skeleton(_tr39_skeleton(unicodedata.normalize("NFKC", username)).casefold())


def skeleton_digest(username: str) -> str:
    """The skeleton as 64 hex characters, short enough for a unique index whatever its length."""
    return hashlib.sha256(skeleton(username).encode()).hexdigest()
