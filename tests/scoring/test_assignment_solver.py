"""Tests of the pure reviewer-panel assignment core (no database, runs with -p no:django).

Small cases have a unique optimum worked out by hand (the comments give the costs with the
default weights: mismatch 10, a reviewer's n-th application costs n). Larger seeded cases
check the hard constraints, and tiny random cases are compared with a brute-force search.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from scoring.assignment import (
    ApplicationSlot,
    AssignmentPlan,
    AssignmentWeights,
    ReviewerCapacity,
    Shortfall,
    ShortfallReason,
    choose_leaders,
    describe_shortfall,
    solve_assignment,
)
from scoring.assignment.flow import FlowNetwork, min_cost_max_flow

X, Y, Z = "制造业", "服务业", "建筑业"
DEFAULT = AssignmentWeights()


def reviewer(rid, industries=(), max_load=5, current_load=0, can_lead=True, priority=0):
    return ReviewerCapacity(
        id=rid,
        industries=frozenset(industries),
        max_load=max_load,
        current_load=current_load,
        can_lead=can_lead,
        leader_priority=priority,
    )


def solve(apps, revs, conflicts=(), **kwargs) -> AssignmentPlan:
    return solve_assignment(applications=apps, reviewers=revs, conflicts=conflicts, **kwargs)


# --- min-cost flow --------------------------------------------------------------------------


def test_flow_reroutes_through_a_backward_arc():
    # s=0 t=1 a=2 b=3 c=4 d=5; both units want c, the second must push a's unit over to d.
    arcs = [(0, 2, 1, 0), (0, 3, 1, 0), (2, 4, 1, 0), (2, 5, 1, 10), (3, 4, 1, 0)]
    arcs += [(4, 1, 1, 0), (5, 1, 1, 0)]
    tails, heads, caps, costs = (np.array(column) for column in zip(*arcs, strict=True))
    flow = min_cost_max_flow(FlowNetwork.from_arcs(6, tails, heads, caps, costs), 0, 1)
    assert flow.tolist() == [1, 1, 0, 1, 1, 1, 1]


def test_flow_convex_arc_takes_units_while_cheaper():
    # Units on the sloped arc cost 1, 3, 5; the flat alternative costs 4 each: take two.
    network = FlowNetwork.from_arcs(
        5,
        tails=np.array([0, 2, 2, 3, 4]),
        heads=np.array([2, 3, 4, 1, 1]),
        capacities=np.array([3, 3, 3, 3, 3]),
        costs=np.array([0, 1, 4, 0, 0]),
        slopes=np.array([0, 2, 0, 0, 0]),
    )
    assert min_cost_max_flow(network, 0, 1).tolist() == [3, 2, 1, 2, 1]


def test_flow_network_rejects_antiparallel_arcs():
    with pytest.raises(ValueError, match="antiparallel"):
        FlowNetwork.from_arcs(3, [0, 2], [2, 0], [1, 1], [0, 0])


# --- small cases with a unique optimum -------------------------------------------------------


def test_expertise_match_decides():
    apps = [ApplicationSlot("a1", X, panel_size=2)]
    revs = [reviewer("r1", {Y}), reviewer("r2", {X}), reviewer("r3", {X}), reviewer("r4")]
    plan = solve(apps, revs)
    assert plan.panels == {"a1": ("r2", "r3")}
    assert plan.leaders == {"a1": "r2"}
    assert plan.loads == {"r1": 0, "r2": 1, "r3": 1, "r4": 0}
    assert plan.shortfalls == ()
    assert plan.is_complete


def test_conflicted_reviewer_is_never_assigned():
    apps = [ApplicationSlot("a1", X, panel_size=2)]
    # Costs: r1 0+1, r2 0+1, r3 0+5 (already carries 4), r4 10+1.
    revs = [reviewer("r1", {X}), reviewer("r2", {X}), reviewer("r3", {X}, current_load=4)]
    revs.append(reviewer("r4", {Y}))
    assert solve(apps, revs).panels == {"a1": ("r1", "r2")}
    assert solve(apps, revs, {("a1", "r1")}).panels == {"a1": ("r2", "r3")}


def test_maximum_load_forces_the_split():
    apps = [ApplicationSlot("a1", X, panel_size=1), ApplicationSlot("a2", Y, panel_size=1)]
    # Unlimited, r1 (matches both) serves both: 1 + 2 = 3. Capped at one application,
    # a1:r1 + a2:r2 costs 1 + 6 = 7, against 12 for either plan using r3.
    uncapped = [reviewer("r1", {X, Y}), reviewer("r2", {Y}, 6, 5), reviewer("r3", {Z})]
    assert solve(apps, uncapped).panels == {"a1": ("r1",), "a2": ("r1",)}
    capped = [reviewer("r1", {X, Y}, max_load=1), *uncapped[1:]]
    plan = solve(apps, capped)
    assert plan.panels == {"a1": ("r1",), "a2": ("r2",)}
    assert plan.loads == {"r1": 1, "r2": 6, "r3": 0}


def test_lower_load_is_preferred_among_equal_experts():
    apps = [ApplicationSlot("a1", X, panel_size=2)]
    revs = [
        reviewer(f"r{k}", {X}, max_load=9, current_load=load) for k, load in enumerate([3, 0, 1, 2])
    ]
    assert solve(apps, revs).panels == {"a1": ("r1", "r2")}


def test_panel_takes_a_reviewer_who_can_lead():
    apps = [ApplicationSlot("a1", X, panel_size=2)]
    # Without the leader rule the cheapest panel is r1 + r2 (1 + 2); r3 (10 + 1) may lead.
    revs = [
        reviewer("r1", {X}, can_lead=False),
        reviewer("r2", {X}, current_load=1, can_lead=False),
        reviewer("r3", {Y}),
        reviewer("r4", {X}, current_load=2, can_lead=False),
    ]
    plan = solve(apps, revs)
    assert plan.panels == {"a1": ("r1", "r3")}
    assert plan.leaders == {"a1": "r3"}
    assert plan.leader_shortfalls == ()


def test_weights_can_put_balance_before_expertise():
    apps = [ApplicationSlot("a1", X, panel_size=1)]
    revs = [reviewer("r1", {X}, current_load=3), reviewer("r2", {Y})]
    assert solve(apps, revs).panels == {"a1": ("r1",)}  # 0 + 4 beats 10 + 1
    light = AssignmentWeights(mismatch_cost=2, load_step_cost=1)
    assert solve(apps, revs, weights=light).panels == {"a1": ("r2",)}  # 2 + 1 beats 0 + 4


# --- manual assignments ---------------------------------------------------------------------


def test_manual_assignments_are_kept_and_count_toward_size_and_load():
    apps = [
        ApplicationSlot("a1", X, panel_size=3, already_assigned=frozenset({"r4"})),
        ApplicationSlot("a2", X, panel_size=2),
    ]
    # r4 is full with its manual seat; r3 already carries 2, so r1 and r2 take two each.
    revs = [
        reviewer("r1", {X}),
        reviewer("r2", {X}),
        reviewer("r3", {X}, current_load=2),
        reviewer("r4", {Y}, max_load=1, can_lead=False),
    ]
    plan = solve(apps, revs, {("a1", "r4")})
    assert plan.panels == {"a1": ("r1", "r2", "r4"), "a2": ("r1", "r2")}
    assert plan.added == {"a1": ("r1", "r2"), "a2": ("r1", "r2")}
    assert plan.loads == {"r1": 2, "r2": 2, "r3": 2, "r4": 1}
    assert plan.leaders == {"a1": "r1", "a2": "r2"}
    assert plan.kept_conflicts == (("a1", "r4"),)


def test_manual_leader_is_kept_and_counts_toward_spreading():
    apps = [
        ApplicationSlot("a1", X, panel_size=2, already_assigned={"r1"}, leader="r1"),
        ApplicationSlot("a2", X, panel_size=2, already_assigned={"r1", "r2"}),
    ]
    revs = [reviewer("r1", {X}), reviewer("r2", {X}), reviewer("r3", {X}, current_load=1)]
    plan = solve(apps, revs)
    assert plan.panels == {"a1": ("r1", "r2"), "a2": ("r1", "r2")}
    assert plan.added == {"a1": ("r2",), "a2": ()}
    assert plan.leaders == {"a1": "r1", "a2": "r2"}


def test_manual_members_above_maximum_load_stay_and_block_new_seats():
    apps = [
        ApplicationSlot("a1", X, panel_size=1, already_assigned={"r1"}),
        ApplicationSlot("a2", X, panel_size=1),
    ]
    revs = [reviewer("r1", {X}, max_load=1, current_load=1), reviewer("r2", {Y})]
    plan = solve(apps, revs)
    assert plan.panels == {"a1": ("r1",), "a2": ("r2",)}
    assert plan.loads == {"r1": 2, "r2": 1}


# --- shortfalls -----------------------------------------------------------------------------


def test_shortfalls_name_the_application_the_count_and_the_cause():
    apps = [
        ApplicationSlot("a1", X, panel_size=3),
        ApplicationSlot("a2", X, panel_size=2),
        ApplicationSlot("a3", X, panel_size=2),
    ]
    # a1: only r3 and r4 are free of conflicts. a2: r1, r2 free but r2 takes no work and
    # r1 has room for one more after a3, which can only use r1 and r3.
    revs = [
        reviewer("r1", {X}, max_load=2),
        reviewer("r2", {X}, max_load=0),
        reviewer("r3", {X}, max_load=2),
        reviewer("r4", {X}, max_load=1),
    ]
    conflicts = {("a1", "r1"), ("a1", "r2"), ("a2", "r3"), ("a2", "r4"), ("a3", "r2")}
    conflicts |= {("a3", "r4")}
    plan = solve(apps, revs, conflicts)
    assert plan.panels == {"a1": ("r3", "r4"), "a2": ("r1",), "a3": ("r1", "r3")}
    assert plan.shortfalls == (
        Shortfall("a1", 1, ShortfallReason.TOO_FEW_ELIGIBLE, 2, 3),
        Shortfall("a2", 1, ShortfallReason.ELIGIBLE_AT_CAPACITY, 2, 2),
    )
    assert plan.loads == {"r1": 2, "r2": 0, "r3": 2, "r4": 1}
    assert not plan.is_complete


def test_everyone_conflicted_leaves_an_empty_panel():
    apps = [ApplicationSlot(7, X, panel_size=2), ApplicationSlot(8, X, panel_size=2)]
    revs = [reviewer(1, {X}), reviewer(2, {X})]
    plan = solve(apps, revs, {(7, 1), (7, 2), (99, 1)})
    assert plan.panels == {7: (), 8: (1, 2)}
    assert plan.shortfalls == (Shortfall(7, 2, ShortfallReason.TOO_FEW_ELIGIBLE, 0, 2),)
    assert plan.leader_shortfalls == (Shortfall(7, 1, ShortfallReason.NO_ELIGIBLE_LEADER, 0, 2),)


def test_leader_shortfalls_explain_the_cause():
    apps = [
        ApplicationSlot("a1", X, panel_size=2),
        ApplicationSlot("a2", X, panel_size=1, already_assigned={"r1"}),
        ApplicationSlot("a3", X, panel_size=2),
    ]
    revs = [
        reviewer("r1", {X}, can_lead=False),
        reviewer("r2", {X}, can_lead=False),
        reviewer("r3", {X}, max_load=0),
    ]
    plan = solve(apps, revs, {("a1", "r3")})
    assert plan.leaders == {}
    assert plan.leader_shortfalls == (
        Shortfall("a1", 1, ShortfallReason.NO_ELIGIBLE_LEADER, 0, 2),
        Shortfall("a2", 1, ShortfallReason.FULL_WITHOUT_LEADER, 1, 1),
        Shortfall("a3", 1, ShortfallReason.LEADERS_AT_CAPACITY, 1, 2),
    )


@pytest.fixture
def chinese():
    from django.conf import settings
    from django.utils import translation

    if not settings.configured:
        settings.configure(USE_I18N=False)
    with translation.override("zh-hans"):
        yield


def test_shortfall_messages_in_chinese(chinese):
    too_few = Shortfall("a1", 1, ShortfallReason.TOO_FEW_ELIGIBLE, 4, 5)
    assert describe_shortfall(too_few) == (
        "评审组需要 5 名专家，但只有 4 名专家与该申报无利益冲突，缺 1 名。请扩充专家库。"
    )
    full = Shortfall("a1", 2, ShortfallReason.ELIGIBLE_AT_CAPACITY, 9, 5)
    assert describe_shortfall(full) == (
        "缺 2 名专家：9 名无利益冲突的专家中，未入组的均已达到最大评审量。"
        "请提高评审量上限或增加专家。"
    )
    leaders = Shortfall("a1", 1, ShortfallReason.LEADERS_AT_CAPACITY, 3, 5)
    assert (
        describe_shortfall(leaders)
        == "3 名可担任组长的无冲突专家均已达到最大评审量，评审组没有组长。"
    )


# --- leader choice --------------------------------------------------------------------------


def test_leader_prefers_expertise_then_priority_then_fewest_leaderships_then_id():
    apps = [ApplicationSlot(f"a{k}", industry) for k, industry in enumerate([X, X, Y, Z, Z])]
    revs = [reviewer("r1", {Y}), reviewer("r2", {X}), reviewer("r3", {Z}), reviewer("r4", {Z})]
    panels = {"a0": ("r1", "r2"), "a1": ("r1", "r2"), "a2": ("r1", "r2")}
    panels |= {"a3": ("r3", "r4"), "a4": ("r3", "r4")}
    leaders = choose_leaders(panels=panels, applications=apps, reviewers=revs)
    assert leaders == {"a0": "r2", "a1": "r2", "a2": "r1", "a3": "r3", "a4": "r4"}
    revs[3] = reviewer("r4", {Z}, priority=1)
    leaders = choose_leaders(panels=panels, applications=apps, reviewers=revs)
    assert (leaders["a3"], leaders["a4"]) == ("r4", "r4")


def test_empty_pool_reports_the_whole_panel_missing():
    plan = solve([ApplicationSlot(1, X, panel_size=3)], [])
    assert plan.panels == {1: ()}
    assert plan.loads == {}
    assert plan.shortfalls == (Shortfall(1, 3, ShortfallReason.TOO_FEW_ELIGIBLE, 0, 3),)


# --- input validation -----------------------------------------------------------------------


def test_invalid_input_is_rejected():
    with pytest.raises(ValueError, match="duplicate application id 'a1'"):
        solve([ApplicationSlot("a1", X), ApplicationSlot("a1", Y)], [])
    with pytest.raises(ValueError, match="duplicate reviewer id 3"):
        solve([], [reviewer(3), reviewer(3)])
    with pytest.raises(ValueError, match="manual member 'r9' is not a reviewer"):
        solve([ApplicationSlot("a1", X, already_assigned={"r9"})], [reviewer("r1")])
    with pytest.raises(ValueError, match="leader must be a manual member"):
        ApplicationSlot("a1", X, leader="r1")
    with pytest.raises(ValueError, match="panel size"):
        ApplicationSlot("a1", X, panel_size=-1)


# --- larger seeded cases --------------------------------------------------------------------


def random_instance(seed, n_apps, n_revs, max_load, conflict_rate=0.05, industries=4):
    rng = random.Random(seed)
    names = [f"ind{k}" for k in range(industries)]
    apps = [ApplicationSlot(f"a{i:03d}", rng.choice(names), panel_size=5) for i in range(n_apps)]
    revs = [
        reviewer(
            f"r{j:03d}",
            rng.sample(names, rng.randint(1, 2)),
            max_load=max_load,
            can_lead=rng.random() < 0.5,
        )
        for j in range(n_revs)
    ]
    conflicts = {(a.id, r.id) for a in apps for r in revs if rng.random() < conflict_rate}
    return apps, revs, conflicts


def assert_constraints(apps, revs, conflicts, plan):
    by_id = {r.id: r for r in revs}
    counted = dict.fromkeys(by_id, 0)
    for app in apps:
        panel = plan.panels[app.id]
        assert len(set(panel)) == len(panel)
        assert app.already_assigned <= set(panel)
        assert set(plan.added[app.id]) == set(panel) - app.already_assigned
        for rid in plan.added[app.id]:
            assert (app.id, rid) not in conflicts
        for rid in panel:
            counted[rid] += 1
        if app.id in plan.leaders:
            assert plan.leaders[app.id] in panel
    assert plan.loads == {rid: by_id[rid].current_load + counted[rid] for rid in by_id}
    # Manual seats may exceed a maximum; the solver must not add to such a reviewer.
    given = {rid for added in plan.added.values() for rid in added}
    for rid in given:
        assert plan.loads[rid] <= by_id[rid].max_load


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_feasible_cases_fill_every_panel_within_the_rules(seed):
    apps, revs, conflicts = random_instance(seed, n_apps=50, n_revs=20, max_load=15)
    plan = solve(apps, revs, conflicts)
    assert_constraints(apps, revs, conflicts, plan)
    assert [len(panel) for panel in plan.panels.values()] == [5] * 50
    assert all(revs_by_id_can_lead(revs)[plan.leaders[app.id]] for app in apps)
    assert (plan.shortfalls, plan.leader_shortfalls) == ((), ())


def revs_by_id_can_lead(revs):
    return {r.id: r.can_lead for r in revs}


def test_load_spreads_evenly_when_everyone_is_eligible():
    names = ["ind0", "ind1", "ind2"]
    apps = [ApplicationSlot(i, names[i % 3], panel_size=5) for i in range(40)]
    revs = [reviewer(j, names, max_load=30) for j in range(12)]
    plan = solve(apps, revs)
    # 200 seats over 12 reviewers: eight carry 17 and four carry 16.
    assert sorted(plan.loads.values()) == [16] * 4 + [17] * 8
    assert_constraints(apps, revs, set(), plan)


def test_spreading_counts_existing_load():
    apps = [ApplicationSlot(i, "ind0", panel_size=3) for i in range(6)]
    revs = [reviewer(j, {"ind0"}, max_load=20, current_load=j) for j in range(6)]
    # 18 new seats on top of 0+1+...+5 = 15 existing: 33 in all, three 5s and three 6s.
    plan = solve(apps, revs)
    assert sorted(plan.loads.values()) == [5, 5, 5, 6, 6, 6]


def test_overloaded_pool_reports_every_missing_seat():
    apps, revs, conflicts = random_instance(4, n_apps=30, n_revs=10, max_load=10)
    plan = solve(apps, revs, conflicts)
    assert_constraints(apps, revs, conflicts, plan)
    assert list(plan.loads.values()) == [10] * 10
    assert sum(len(panel) for panel in plan.panels.values()) == 100
    assert sum(s.missing for s in plan.shortfalls) == 50
    expected = {
        app.id: 5 - len(plan.panels[app.id]) for app in apps if len(plan.panels[app.id]) < 5
    }
    assert {s.application_id: s.missing for s in plan.shortfalls} == expected
    assert {s.reason for s in plan.shortfalls} == {ShortfallReason.ELIGIBLE_AT_CAPACITY}


def test_same_plan_whatever_the_input_order():
    apps, revs, conflicts = random_instance(5, n_apps=40, n_revs=15, max_load=20)
    plan = solve(apps, revs, conflicts)
    rng = random.Random(0)
    for _ in range(3):
        shuffled_apps, shuffled_revs = apps[:], revs[:]
        shuffled_conflicts = sorted(conflicts)
        for items in (shuffled_apps, shuffled_revs, shuffled_conflicts):
            rng.shuffle(items)
        again = solve(shuffled_apps, shuffled_revs, shuffled_conflicts)
        assert again == plan
        assert list(again.panels.items()) == list(plan.panels.items())
        assert list(again.loads.items()) == list(plan.loads.items())


# --- optimality against brute force ---------------------------------------------------------


def objective(apps, revs, panels, weights=DEFAULT):
    """(seats filled, panels with a possible leader, -cost): larger is better."""
    by_id = {r.id: r for r in revs}
    seats = sum(len(panels[a.id]) for a in apps)
    led = sum(a.leader is not None or any(by_id[m].can_lead for m in panels[a.id]) for a in apps)
    cost = 0
    new = dict.fromkeys(by_id, 0)
    for app in apps:
        for rid in set(panels[app.id]) - app.already_assigned:
            new[rid] += 1
            cost += 0 if app.industry in by_id[rid].industries else weights.mismatch_cost
    for rid, count in new.items():
        base = by_id[rid].current_load + sum(rid in a.already_assigned for a in apps)
        cost += weights.load_step_cost * sum(range(base + 1, base + count + 1))
    return seats, led, -cost


def brute_force_best(apps, revs, conflicts):
    by_id = {r.id: r for r in revs}
    base = {r.id: r.current_load + sum(r.id in a.already_assigned for a in apps) for r in revs}
    options = []
    for app in apps:
        free = [
            r.id
            for r in revs
            if (app.id, r.id) not in conflicts and r.id not in app.already_assigned
        ]
        options.append(
            [
                tuple(sorted(app.already_assigned)) + combo
                for size in range(app.open_seats + 1)
                for combo in itertools.combinations(free, size)
            ]
        )
    best = None
    for choice in itertools.product(*options):
        new = dict.fromkeys(by_id, 0)
        for app, panel in zip(apps, choice, strict=True):
            for rid in panel:
                if rid not in app.already_assigned:
                    new[rid] += 1
        if any(new[rid] and base[rid] + new[rid] > by_id[rid].max_load for rid in by_id):
            continue
        value = objective(apps, revs, {a.id: p for a, p in zip(apps, choice, strict=True)})
        best = value if best is None else max(best, value)
    return best


@pytest.mark.parametrize("seed", range(20))
def test_tiny_random_cases_match_brute_force(seed):
    rng = random.Random(seed)
    names = [X, Y, Z]
    revs = [
        reviewer(
            f"r{j}",
            rng.sample(names, rng.randint(0, 2)),
            max_load=rng.randint(0, 3),
            current_load=rng.randint(0, 1),
            can_lead=rng.random() < 0.5,
        )
        for j in range(5)
    ]
    apps = []
    for i in range(3):
        manual = {f"r{rng.randrange(5)}"} if rng.random() < 0.3 else set()
        apps.append(ApplicationSlot(f"a{i}", rng.choice(names), rng.randint(1, 3), manual))
    conflicts = {(a.id, r.id) for a in apps for r in revs if rng.random() < 0.2}
    plan = solve(apps, revs, conflicts)
    assert_constraints(apps, revs, conflicts, plan)
    assert objective(apps, revs, plan.panels) == brute_force_best(apps, revs, conflicts)
