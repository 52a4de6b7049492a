"""``manage.py compute_results --track individual``: candidates are ranked offline on the
individual award criteria (100 points), never on GB/T 19580, and a sheet of the other track's
items says which ``--track`` it needs."""

from __future__ import annotations

import pytest

from tests.scoring.test_compute_results_command import fail, run, workdir, write

__all__ = ["workdir"]  # the fixture, used by name

HEADER = "application,reviewer,stage,item,percent"
#: The individual criteria: 1.1 is worth 10 points, 1.2 … 4.1 15 each (100 in all).
INDIVIDUAL = {"1.1": 10, "1.2": 15, "2.1": 15, "2.2": 15, "3.1": 15, "3.2": 15, "4.1": 15}
CONFIG = {
    "method": "mean",
    "stages": {"document": 0.3, "onsite": 0.7},
    "levels": [
        {"name": "个人奖", "min_total": 80, "quota": 1},
        {"name": "个人提名奖", "min_total": 60, "quota": 1},
    ],
}


def sheet(people: dict[str, tuple[int, int]], codes=tuple(INDIVIDUAL)) -> str:
    """Every item of ``codes`` at one percentage per stage, by one reviewer."""
    lines = [HEADER]
    for name, (document, onsite) in people.items():
        for stage, percent in (("document", document), ("onsite", onsite)):
            lines += [f"{name},R1,{stage},{code},{percent}" for code in codes]
    return "\n".join(lines) + "\n"


def test_candidates_are_ranked_on_the_individual_criteria(workdir):
    # 张一 0.3 × 90 + 0.7 × 80 = 83.00; 王二 0.3 × 70 + 0.7 × 70 = 70.00; 赵三 55.00.
    write(
        workdir, scores=sheet({"张一": (90, 80), "王二": (70, 70), "赵三": (55, 55)}), config=CONFIG
    )
    out, err = run("--track", "individual", "--lang", "en")
    assert out == (
        "rank,application,total,level\n"
        "1,张一,83.00,个人奖\n"
        "2,王二,70.00,个人提名奖\n"
        "3,赵三,55.00,\n"
    )
    assert err == ""


def test_the_individual_items_carry_their_own_points(workdir):
    # Only 1.1 (10 points) at 100 %, the rest at 0: a total of 10, not 1000 × 10 %.
    lines = [HEADER] + [f"A,R1,onsite,{code},{100 if code == '1.1' else 0}" for code in INDIVIDUAL]
    write(workdir, scores="\n".join(lines) + "\n", config={**CONFIG, "stages": {"onsite": 1}})
    out, _ = run("--track", "individual")
    assert out == "rank,application,total,level\n1,A,10.00,\n"


def test_the_shared_chain_loses_the_organization_categories_as_in_the_portal(workdir):
    # A and B both total 30; B's 30 points are results (category 3), A's practice (category 2).
    # category:4.7 is an organization category: left out for candidates, not an error.
    def line(name, code, wanted):
        return f"{name},R1,onsite,{code},{100 if code.startswith(wanted) else 0}"

    lines = [HEADER] + [line("A", code, "2.") for code in INDIVIDUAL]
    lines += [line("B", code, "3.") for code in INDIVIDUAL]
    config = {
        **CONFIG,
        "stages": {"onsite": 1},
        "stage_order": ["onsite"],
        "tie_break": ["total", "category:4.7", "category:3"],
    }
    write(workdir, scores="\n".join(lines) + "\n", config=config)
    out, err = run("--track", "individual", "--lang", "en")
    assert (out, err) == ("rank,application,total,level\n1,B,30.00,\n2,A,30.00,\n", "")
    status, err = fail("--lang", "en")  # ranked as organizations, the chain is checked as is
    assert status == 2


def test_an_individual_sheet_ranked_as_organizations_says_which_track_it_needs(workdir):
    write(workdir, scores=sheet({"张一": (90, 80)}, codes=("1.1", "4.1")), config=CONFIG)
    status, err = fail("--lang", "en")
    assert status == 2
    assert err.splitlines() == [
        'SCORES.csv:2: item "1.1" is not in the criteria',
        'SCORES.csv:3: item "4.1" is not in the criteria',
        'SCORES.csv:4: item "1.1" is not in the criteria',
        'SCORES.csv:5: item "4.1" is not in the criteria',
        "SCORES.csv: these items belong to the criteria GR-ZL-2023: run with --track individual",
    ]


def test_organization_items_are_refused_for_candidates_with_the_hint_in_chinese(workdir):
    write(workdir, scores=f"{HEADER}\nA,R1,onsite,4.1.1,80\n", config=CONFIG)
    status, err = fail("--track", "individual", "--lang", "zh-hans")
    assert (status, err.splitlines()) == (
        2,
        [
            "SCORES.csv:2: 评分条款“4.1.1”不在评价准则中",
            "SCORES.csv: 这些评分条款属于评价准则 GB/T 19580-2012，请加参数 --track organization 计算",
        ],
    )


def test_a_mixed_sheet_gets_no_hint(workdir):
    write(workdir, scores=f"{HEADER}\nA,R1,onsite,4.1.1,80\nA,R1,onsite,9.9,80\n", config=CONFIG)
    status, err = fail("--track", "individual", "--lang", "en")
    assert (status, err.splitlines()) == (
        2,
        [
            'SCORES.csv:2: item "4.1.1" is not in the criteria',
            'SCORES.csv:3: item "9.9" is not in the criteria',
        ],
    )


@pytest.mark.parametrize("track", ["", "organisation"])
def test_an_unknown_track_is_refused(workdir, track):
    from django.core.management import CommandError, call_command

    write(workdir)
    with pytest.raises(CommandError) as error:
        call_command(
            "compute_results", "--scores", "SCORES.csv", "--config", "CONFIG.json", "--track", track
        )
    assert str(error.value) == (
        f"Error: argument --track: invalid choice: '{track}' "
        "(choose from 'organization', 'individual')"
    )
