"""``manage.py compute_results``: exact CSV out, exact line-numbered errors, no database."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from scoring.aggregation import default_items

HEADER = "application,reviewer,stage,item,percent"
CONFIG = {
    "method": "mean",
    "stages": {"document": 0.3, "onsite": 0.7},
    "levels": [
        {"name": "winner", "min_total": 100, "quota": 1},
        {"name": "nomination", "min_total": 50, "quota": 2},
    ],
}
# 4.1.1 is worth 50 points and 4.7.1 80 points.
#   A: document means 70 and 80 → 35 + 64 = 99; on-site 90, 90 → 45 + 72 = 117;
#      0.3 × 99 + 0.7 × 117 = 111.60
#   B and C: document 50s → 65, on-site 60s → 78; 19.5 + 54.6 = 74.10 (an unbroken tie)
#   D: document 65, on-site 40s → 52; 19.5 + 36.4 = 55.90 (nomination places are taken)
#   E: document only, 100s → 130.00 in the document stage, did not advance (no weighting)
SCORES = """\
application,reviewer,stage,item,percent
A,R1,document,4.1.1,80
A,R1,document,4.7.1,80
A,R2,document,4.1.1,60
A,R2,document,4.7.1,80
A,R1,onsite,4.1.1,90
A,R1,onsite,4.7.1,90
A,R2,onsite,4.1.1,90
A,R2,onsite,4.7.1,90
B,R1,document,4.1.1,50
B,R1,document,4.7.1,50
B,R1,onsite,4.1.1,60
B,R1,onsite,4.7.1,60
C,R2,document,4.1.1,50
C,R2,document,4.7.1,50
C,R2,onsite,4.1.1,60
C,R2,onsite,4.7.1,60
D,R1,document,4.1.1,50
D,R1,document,4.7.1,50
D,R1,onsite,4.1.1,40
D,R1,onsite,4.7.1,40
E,R1,document,4.1.1,100
E,R1,document,4.7.1,100
"""
EXPECTED = """\
rank,application,total,level
1,A,111.60,winner
2,B,74.10,nomination
2,C,74.10,nomination
4,D,55.90,
5,E,130.00,
"""


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Files are named as an official would type them: SCORES.csv, CONFIG.json."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(workdir: Path, scores: str = SCORES, config: object = CONFIG) -> None:
    (workdir / "SCORES.csv").write_text(scores, encoding="utf-8")
    text = config if isinstance(config, str) else json.dumps(config)
    (workdir / "CONFIG.json").write_text(text, encoding="utf-8")


def run(*extra):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "compute_results",
        "--scores",
        "SCORES.csv",
        "--config",
        "CONFIG.json",
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def fail(*extra):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command(
            "compute_results",
            "--scores",
            "SCORES.csv",
            "--config",
            "CONFIG.json",
            *extra,
            stdout=out,
            stderr=err,
        )
    assert out.getvalue() == ""
    return caught.value.code, err.getvalue()


def test_prints_the_ranking_as_csv_and_notes_the_tie(workdir):
    write(workdir)
    out, err = run("--lang", "en")
    assert out == EXPECTED
    assert err == "note: unbroken tie at rank 2: B, C\n"


def test_notes_are_in_chinese_by_default(workdir):
    write(workdir)
    out, err = run("--lang", "zh-hans")
    assert out == EXPECTED
    assert err == "提示：第 2 名并列无法区分：B, C\n"


def test_runs_with_the_database_blocked(workdir, django_db_blocker):
    write(workdir)
    with django_db_blocker.block():
        out, _ = run("--lang", "en")
    assert out == EXPECTED


def test_a_tied_group_that_does_not_fit_is_reported(workdir):
    config = {**CONFIG, "levels": [{"name": "winner", "min_total": 50, "quota": 2}]}
    write(workdir, config=config)
    out, err = run("--lang", "en")
    assert out == (
        "rank,application,total,level\n"
        "1,A,111.60,winner\n"
        "2,B,74.10,\n"
        "2,C,74.10,\n"
        "4,D,55.90,\n"
        "5,E,130.00,\n"
    )
    assert err == (
        "note: unbroken tie at rank 2: B, C\n"
        'note: tied applications B, C (rank 2) do not fit the 1 place(s) left in "winner"; '
        "none got it, for the officials to decide\n"
    )


def full_sheet(percents_by_application):
    """All 23 GB/T 19580-2012 items, both stages, one percentage per reviewer throughout."""
    lines = [HEADER]
    for application, percents in percents_by_application.items():
        for stage in ("document", "onsite"):
            for number, percent in enumerate(percents, start=1):
                for item in default_items():
                    lines.append(f"{application},R{number},{stage},{item.code},{percent}")
    return "\n".join(lines) + "\n"


def test_trimmed_mean_with_the_example_configuration(workdir):
    # A: 100, 70, 65, 60, 0 → trimmed mean 65 on every item → 650 (the mean, 59, would give 590).
    sheet = full_sheet(
        {
            "A": [100, 70, 65, 60, 0],
            "B": [60, 60, 60, 60, 60],
            "C": [55, 55, 55, 55, 55],
            "D": [50, 50, 50, 50, 50],
        }
    )
    config = {
        "method": "trimmed_mean",
        "stages": {"document": 0.3, "onsite": 0.7},
        "levels": [
            {"name": "winner", "min_total": 600, "quota": 2},
            {"name": "nomination", "min_total": 550, "quota": 3},
        ],
    }
    write(workdir, scores=sheet, config=config)
    out, err = run()
    assert out == (
        "rank,application,total,level\n"
        "1,A,650.00,winner\n"
        "2,B,600.00,winner\n"
        "3,C,550.00,nomination\n"
        "4,D,500.00,\n"
    )
    assert err == ""


def test_consensus_file_is_used_with_the_consensus_method(workdir):
    write(workdir, config={**CONFIG, "method": "consensus"})
    (workdir / "CONSENSUS.csv").write_text(
        "application,stage,item,percent\nD,onsite,4.7.1,100\n", encoding="utf-8"
    )
    out, _ = run("--consensus", "CONSENSUS.csv", "--lang", "en")
    # D on-site: 20 + 80 = 100 → 19.5 + 70 = 89.50, now second and a nomination.
    assert out == (
        "rank,application,total,level\n"
        "1,A,111.60,winner\n"
        "2,D,89.50,nomination\n"
        "3,B,74.10,\n"
        "3,C,74.10,\n"
        "5,E,130.00,\n"
    )


def test_every_bad_line_is_reported_with_its_number_and_status_2(workdir):
    scores = (
        f"{HEADER}\n"
        "A,R1,document,4.1.1,80\n"
        "A,R1,document,4.7.1,33\n"
        "A,R1,site,4.1.1,50\n"
        "A,R1,onsite,4.9.9,50\n"
        "A,R1,onsite,4.1.1,abc\n"
        "A,R1,onsite,4.7.1,105\n"
        "A,R1,onsite,4.2.1,-5\n"
        "A,R1,document,4.1.1,85\n"
        "A,R1,onsite,4.3.1\n"
        ",R1,onsite,4.3.1,50\n"
    )
    write(workdir, scores=scores)
    status, err = fail("--lang", "en")
    assert status == 2
    assert err.splitlines() == [
        "SCORES.csv:3: percent 33 is not on the 5 % grid",
        'SCORES.csv:4: stage "site" is unknown (choose one of document, onsite)',
        'SCORES.csv:5: item "4.9.9" is not in the criteria',
        'SCORES.csv:6: percent "abc" is not a number',
        "SCORES.csv:7: percent 105 is outside 0..100",
        "SCORES.csv:8: percent -5 is outside 0..100",
        "SCORES.csv:9: duplicate score for application A, reviewer R1, stage document, "
        "item 4.1.1 (first on line 2)",
        "SCORES.csv:10: expected 5 fields, got 4",
        'SCORES.csv:11: field "application" is empty',
    ]


def test_errors_are_in_chinese_by_default(workdir):
    write(workdir, scores=f"{HEADER}\nA,R1,document,4.1.1,80\nA,R1,document,4.7.1,33\n")
    status, err = fail("--lang", "zh-hans")
    assert (status, err) == (2, "SCORES.csv:3: 得分率 33 不是 5% 的整数倍\n")


def test_a_bad_header_is_reported_on_line_1(workdir):
    write(workdir, scores="app,reviewer,stage,item,percent\nA,R1,document,4.1.1,80\n")
    status, err = fail("--lang", "en")
    assert (status, err) == (
        2,
        'SCORES.csv:1: header must be "application,reviewer,stage,item,percent", '
        'not "app,reviewer,stage,item,percent"\n',
    )


def test_an_empty_score_file(workdir):
    write(workdir, scores="")
    status, err = fail("--lang", "en")
    assert (status, err) == (
        2,
        'SCORES.csv:1: the file is empty; expected the header "application,reviewer,stage,'
        'item,percent"\n',
    )


def test_bad_json_is_reported_with_its_line(workdir):
    write(workdir, config='{"method": "mean",\n "stages": {"document": 0.3 "onsite": 0.7}}')
    status, err = fail("--lang", "en")
    assert (status, err) == (2, "CONFIG.json:2: bad JSON: Expecting ',' delimiter\n")


def test_an_invalid_configuration_lists_every_problem(workdir):
    config = {
        "method": "average",
        "stages": {"document": 0.3, "onsite": 0.6},
        "levels": [
            {"name": "nomination", "min_total": 550, "quota": -1},
            {"name": "winner", "min_total": 600, "quota": 2},
        ],
    }
    write(workdir, config=config)
    status, err = fail("--lang", "en")
    assert status == 2
    assert err.splitlines() == [
        'CONFIG.json: unknown method "average" (choose one of mean, trimmed_mean, median, '
        "normalized, consensus)",
        "CONFIG.json: stage weights sum to 0.9, not 1",
        'CONFIG.json: quota -1 of level "nomination" is negative',
        'CONFIG.json: minimum total 600 of level "winner" is above 550 of the level before it '
        '("nomination"); levels must go from the highest minimum down',
    ]


def test_an_unknown_stage_in_the_weights(workdir):
    write(workdir, config={**CONFIG, "stages": {"document": 0.3, "site": 0.7}})
    status, err = fail("--lang", "en")
    assert (status, err) == (
        2,
        'CONFIG.json: unknown stage "site" in the weights (choose one of document, onsite)\n',
    )


def test_a_missing_file(workdir):
    write(workdir)
    (workdir / "SCORES.csv").unlink()
    status, err = fail("--lang", "en")
    assert (status, err) == (2, "SCORES.csv: cannot read the file: No such file or directory\n")


def manage(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[2]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # A database nobody can reach: the command must not need one.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
    }
    return subprocess.run(
        [sys.executable, str(root / "manage.py"), "compute_results", *args],
        cwd=workdir,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_real_command_line_exits_0_with_csv_and_2_on_bad_input(workdir):
    write(workdir)
    done = manage(workdir, "--scores", "SCORES.csv", "--config", "CONFIG.json", "--lang", "en")
    assert (done.returncode, done.stdout) == (0, EXPECTED)
    assert done.stderr == "note: unbroken tie at rank 2: B, C\n"
    write(workdir, scores=f"{HEADER}\nA,R1,document,4.1.1,33\n")
    done = manage(workdir, "--scores", "SCORES.csv", "--config", "CONFIG.json", "--lang", "en")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "SCORES.csv:2: percent 33 is not on the 5 % grid\n"
