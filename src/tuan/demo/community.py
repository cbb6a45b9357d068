"""Generate and seed the demo community: people in overlapping circles, friendships that cluster
inside them, a group per circle with sub-groups spun off, and everyday chat.

Circles follow the research's settings: the parents of one school class, neighbours in one
compound, colleagues, a hometown group. Everyone belongs to one or two circles; friendships form
mostly inside a circle (probability ``FRIENDS_IN_CIRCLE``) and rarely across. Deterministic for a
seed, and sized by ``size`` so benchmarks can ask for a bigger one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from tuan.accounts.domain import username_key
from tuan.accounts.models import User
from tuan.bootstrap import Container
from tuan.chat.posting import PostRequest, post_messages
from tuan.core.personal import DELETED_USER_ID
from tuan.core.uow import UnitOfWork
from tuan.demo.names import FIRST_EN, GIVEN_ZH, LAST_EN, SURNAMES_ZH
from tuan.groups import service as groups
from tuan.groups.membership import add_members
from tuan.social.models import Friendship

DEMO_PASSWORD = "tuan-demo-2026"  # noqa: S105 - a published demo password, not a secret
FRIENDS_IN_CIRCLE = 0.18
FRIENDS_ACROSS = 0.004

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Circle:
    name: str
    policy: str
    subgroups: tuple[str, ...]
    share: float  # of the community
    chat: tuple[str, ...]


CIRCLES = (
    Circle(
        "五年级二班家长群 Class 5-2 parents",
        "introduced",
        ("五年级二班 花草群 Flowers & plants", "五年级二班 拼车接送 Car pool"),
        0.22,
        (
            "明天春游记得带水壶 🎒",
            "数学作业第三题大家怎么做的？",
            "Does anyone know a good piano teacher?",
            "周五家长会七点开始",
            "谢谢王老师！",
        ),
    ),
    Circle(
        "三年级一班家长群 Class 3-1 parents",
        "approval",
        ("三年级一班 周末运动 Weekend sports",),
        0.18,
        (
            "下周一交美术作业",
            "Who has the reading list for this term?",
            "孩子们的合唱视频太可爱了",
            "校服可以在哪里买？",
        ),
    ),
    Circle(
        "阳光花园业主群 Sunshine Garden neighbours",
        "verified",
        ("阳光花园 团购 Group buys", "阳光花园 宠物 Pets"),
        0.25,
        (
            "3号楼电梯今天检修",
            "快递柜满了 😅",
            "Lost cat near building 7, orange tabby",
            "物业说周六停水两小时",
            "楼下新开的面包店不错",
        ),
    ),
    Circle(
        "星河科技 同事群 Xinghe Tech colleagues",
        "approval",
        ("星河科技 午饭搭子 Lunch buddies",),
        0.2,
        ("今天谁订咖啡？☕", "Stand-up moved to 10:30", "周五团建去爬山", "新来的同事欢迎！"),
    ),
    Circle(
        "宁波老乡群 Ningbo hometown",
        "open",
        (),
        0.15,
        (
            "过年回宁波的拼个车？",
            "汤圆哪家最正宗",
            "Anyone flying to Ningbo on the 28th?",
            "家乡的味道 🥟",
        ),
    ),
)


@dataclass(frozen=True)
class DemoPerson:
    username: str
    display_name: str


# The logins README names: two shoppers (each also owns a group, see GROUP_OWNERS) and the four
# shopkeepers, who own the demo's shops in this order (tuan.demo.commerce.SHOPS).
SHOPPERS = (DemoPerson("mei", "林美 Mei"), DemoPerson("ben", "Ben Carter"))
SHOPKEEPERS = (
    DemoPerson("shop.fresh", "阿梅"),
    DemoPerson("shop.home", "小本"),
    DemoPerson("shop.beauty", "美美"),
    DemoPerson("shop.kids", "宝贝妈妈"),
)
# Circle (index into CIRCLES) → the person (index into the people) who owns its group.
GROUP_OWNERS = {0: 0, 3: 1}


@dataclass
class DemoCommunity:
    people: list[DemoPerson]
    circles: list[list[int]]  # indexes of people in each circle
    friendships: set[tuple[int, int]]
    user_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)


def generate_people(size: int, rng: random.Random) -> list[DemoPerson]:
    """``size`` people, about two thirds with Chinese names, each with a unique username."""
    people = [*SHOPPERS, *SHOPKEEPERS]
    taken = {p.username for p in people}
    while len(people) < size:
        if rng.random() < 0.66:
            display = rng.choice(SURNAMES_ZH) + rng.choice(GIVEN_ZH)
            stem = f"user{len(people)}"
        else:
            first, last = rng.choice(FIRST_EN), rng.choice(LAST_EN)
            display, stem = f"{first} {last}", f"{first}.{last}".lower()
        username, suffix = stem, 2
        while username in taken:
            username, suffix = f"{stem}{suffix}", suffix + 1
        taken.add(username)
        people.append(DemoPerson(username, display))
    return people


def generate(size: int, seed: int = 7) -> DemoCommunity:
    rng = random.Random(seed)
    people = generate_people(size, rng)
    circles: list[list[int]] = [[] for _ in CIRCLES]
    weights = [c.share for c in CIRCLES]
    for index in range(size):
        first = rng.choices(range(len(CIRCLES)), weights)[0]
        circles[first].append(index)
        if rng.random() < 0.35:  # some people are in two circles (a parent who is a neighbour)
            second = rng.choices(range(len(CIRCLES)), weights)[0]
            if second != first:
                circles[second].append(index)
    for circle in circles[:4]:  # the two demo logins see a lively community
        for demo_login in (0, 1):
            if demo_login not in circle:
                circle.append(demo_login)
    named = len(SHOPPERS) + len(SHOPKEEPERS)
    for index, circle in enumerate(circles):  # the first member creates the group
        owner = GROUP_OWNERS.get(index)
        if owner is None:  # the other groups belong to generated people, never a named login
            owner = next((m for m in circle if m >= named), circle[0])
        circle.remove(owner)
        circle.insert(0, owner)
    friendships: set[tuple[int, int]] = set()
    for circle in circles:
        for i, a in enumerate(circle):
            for b in circle[i + 1 :]:
                if a != b and rng.random() < FRIENDS_IN_CIRCLE:
                    friendships.add((min(a, b), max(a, b)))
    for _ in range(int(size * size * FRIENDS_ACROSS / 2)):
        a, b = rng.randrange(size), rng.randrange(size)
        if a != b:
            friendships.add((min(a, b), max(a, b)))
    friendships.add((0, 1))
    return DemoCommunity(people, circles, friendships)


async def seed_demo(
    container: Container, *, size: int, progress: Progress | None = None, seed: int = 7
) -> DemoCommunity:
    """Seed the community unless the database already has people; returns it either way."""
    community = generate(size, seed)
    advance = progress or (lambda _n: None)
    async with container.db.read_sessions() as session:
        existing = await session.scalar(
            select(func.count()).select_from(User).where(User.id != DELETED_USER_ID)
        )
    if existing:
        return community
    await _seed_people(container, community, advance)
    await _seed_friendships(container, community)
    await _seed_groups(container, community, random.Random(seed), advance)
    return community


def work_units(size: int) -> int:
    """How many progress steps :func:`seed_demo` reports for ``size`` people."""
    community = generate(size)
    return size + sum(len(c) for c in community.circles) + len(CIRCLES)


async def _seed_people(container: Container, community: DemoCommunity, advance: Progress) -> None:
    # One hash for every demo login: hashing hundreds of passwords would dominate start-up.
    password_hash = await container.passwords.hash(DEMO_PASSWORD)

    async def add_people(uow: UnitOfWork) -> list[int]:
        users = []
        for index, person in enumerate(community.people):
            user = User(
                username=person.username,
                username_key=username_key(person.username),
                display_name=person.display_name,
                password_hash=password_hash,
                verified=index % 3 != 2,
                created_at=uow.now,
                updated_at=uow.now,
            )
            uow.session.add(user)
            users.append(user)
            advance(1)
        await uow.session.flush()
        return [u.id for u in users]

    community.user_ids = await container.run(add_people)


async def _seed_friendships(container: Container, community: DemoCommunity) -> None:
    ids = community.user_ids

    async def add_friendships(uow: UnitOfWork) -> None:
        for a, b in sorted(community.friendships):
            low, high = sorted((ids[a], ids[b]))
            uow.session.add(Friendship(user_low=low, user_high=high, created_at=uow.now))

    await container.run(add_friendships)


async def _seed_groups(
    container: Container, community: DemoCommunity, rng: random.Random, advance: Progress
) -> None:
    ids = community.user_ids
    cap = container.settings.group_member_cap
    for circle, members in zip(CIRCLES, community.circles, strict=True):
        owner = ids[members[0]]
        group_id = await container.run(
            groups.create_group,
            owner_id=owner,
            settings=groups.GroupSettings(name=circle.name, join_policy="open", member_cap=cap),
            deployment_cap=cap,
        )
        others = [ids[m] for m in members[1:]]
        await container.run(add_members, group_id=group_id, user_ids=others, by=owner)
        advance(len(members))
        await container.run(
            groups.update_group,
            group_id=group_id,
            user_id=owner,
            deployment_cap=cap,
            join_policy=circle.policy,
        )
        community.group_ids.append(group_id)
        for name in circle.subgroups:
            sub_id = await container.run(
                groups.create_group,
                owner_id=owner,
                settings=groups.GroupSettings(name=name, join_policy="open"),
                deployment_cap=cap,
                parent_id=group_id,
            )
            joiners = rng.sample(others, k=min(len(others), max(2, len(others) // 3)))
            await container.run(add_members, group_id=sub_id, user_ids=joiners, by=owner)
        chatters = [ids[m] for m in members]
        requests = [
            PostRequest(conversation_id=group_id, sender_id=rng.choice(chatters), text=line)
            for line in circle.chat
        ]
        await container.run(post_messages, requests)
        advance(1)
