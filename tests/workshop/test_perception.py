"""Perception gaps on plain data: how a role sees itself against how others see it."""

from workshops.perception import NoteView, by_activity, perceptions, roles_seen_differently, tallies

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


def note(role, kind, activity, category="Unsorted"):
    return NoteView(role=role, kind=kind, category=category, activity=activity)


def test_views_are_compared_per_activity_whatever_the_lane():
    rows = by_activity(
        [
            note("PM", "other", "Pricing decisions", "Launch"),
            note("PM", "self", "pricing  decisions"),  # still unsorted, worded alike: the same work
            note("PMM", "self", "Battlecards", "Launch"),
            note("PMM", "other", "Roadmap reviews", "Roadmap"),
        ],
        ROLES, unsorted="Unsorted",
    )
    assert [(r.role, r.activity, r.category, r.self_notes, r.other_notes, r.verdict) for r in rows] == [
        ("PMM", "Battlecards", "Launch", 1, 0, "only the role sees it"),
        ("PMM", "Roadmap reviews", "Roadmap", 0, 1, "only others see it"),
        ("PM", "Pricing decisions", "Launch", 1, 1, "seen alike"),
    ]


def test_agreements_and_disagreements_are_counted_per_role():
    rows = by_activity(
        [note("PMM", "self", "A"), note("PMM", "other", "A"), note("PMM", "self", "B"), note("PMM", "other", "C"),
         note("PM", "other", "A")],
        ROLES, unsorted="Unsorted",
    )
    assert [(t.role, t.agreed, t.only_the_role, t.only_others, t.disagreed) for t in tallies(rows, ROLES)] == [
        ("PMM", 1, 1, 1, 2), ("PM", 0, 0, 1, 1),
    ]


def test_no_notes_no_activities():
    assert by_activity([], ROLES, unsorted="Unsorted") == [] and tallies([], ROLES) == []
