"""Perception gaps on plain data: how a role sees itself against how others see it."""

from workshops.perception import NoteView, perceptions, roles_seen_differently

ROLES = ["PMM", "PM"]
CATEGORIES = ["Unsorted", "Strategy", "Launch"]


def test_self_and_other_views_are_counted_per_role_and_category():
    rows = perceptions(
        [
            NoteView("PMM", "self", "Launch"), NoteView("PMM", "other", "Launch"), NoteView("PMM", "other", "Launch"),
            NoteView("PMM", "self", "Strategy"),
            NoteView("PM", "other", "Strategy"),
        ],
        ROLES, CATEGORIES,
    )
    assert [(r.role, r.category, r.self_notes, r.other_notes, r.verdict) for r in rows] == [
        ("PMM", "Strategy", 1, 0, "only the role sees it"),
        ("PMM", "Launch", 1, 2, "seen alike"),
        ("PM", "Strategy", 0, 1, "only others see it"),
    ]


def test_a_role_whose_views_never_meet_is_seen_differently():
    rows = perceptions(
        [NoteView("PMM", "self", "Launch"), NoteView("PMM", "other", "Launch"), NoteView("PM", "self", "Strategy"),
         NoteView("PM", "other", "Launch")],
        ROLES, CATEGORIES,
    )
    assert roles_seen_differently(rows) == ["PM"]


def test_no_notes_no_rows():
    assert perceptions([], ROLES, CATEGORIES) == [] and roles_seen_differently([]) == []
