"""The demo community is reproducible and its friendships cluster inside circles."""

from __future__ import annotations

from tuan.demo.community import CIRCLES, generate


def test_the_same_seed_gives_the_same_community() -> None:
    a, b = generate(120, seed=3), generate(120, seed=3)
    assert a.people == b.people and a.circles == b.circles and a.friendships == b.friendships
    assert generate(120, seed=4).friendships != a.friendships


def test_everyone_has_a_circle_and_usernames_are_unique() -> None:
    community = generate(200)
    in_a_circle = {i for circle in community.circles for i in circle}
    assert in_a_circle == set(range(200))
    assert len({p.username for p in community.people}) == 200
    assert (
        sum(any("\u4e00" <= ch <= "\u9fff" for ch in p.display_name) for p in community.people)
        > 100
    )


def test_friendships_are_much_denser_inside_circles_than_across() -> None:
    community = generate(300)
    same_circle = {
        (min(a, b), max(a, b))
        for circle in community.circles
        for a in circle
        for b in circle
        if a != b
    }
    inside = len(community.friendships & same_circle)
    across = len(community.friendships - same_circle)
    n = 300
    pairs_inside = len(same_circle)
    pairs_across = n * (n - 1) // 2 - pairs_inside
    assert inside / pairs_inside > 10 * (across / pairs_across)


def test_the_demo_logins_are_in_the_busy_circles() -> None:
    community = generate(100)
    for circle in community.circles[: len(CIRCLES) - 1]:
        assert 0 in circle and 1 in circle
