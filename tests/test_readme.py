"""The README followed literally: every command in its ```sh blocks runs, as typed, and succeeds.

Each line of a ```sh block is one command (a trailing `  # ...` is the reader's comment). They
run in README order in a scratch directory, so whatever they write (`--out market.xlsx`, the
odds' results folder) lands there and never in the repository; it holds `.venv`, a link to the
venv of the interpreter running this test (what `make venv` made; CI's `.venv-python3.13` and
`.venv-latest` too), and the page's files for `streamlit run`. The repository comes first on
PYTHONPATH, so a worktree's own code is what runs. Offline: the proxies point at a closed port
and pip has no index, so an HTTP client or pip that reaches for the network fails.

The first block is the quick start, run as one script with the venv *off* PATH: its
`. .venv/bin/activate` must be what makes `python -m model` work (the newcomer's bare `python`
has no pandas). The later blocks run as an activated shell would, the venv's bin first on PATH,
each command in a shell of its own. They run side by side, one per core (two to four at a
time): a command that names a file an earlier one writes (`budget --from-workbook openai.xlsx`
reads what `export` wrote) waits for it, in README order. Each must exit 0 and print what EXPECT
says; a README command without an entry in EXPECT fails, so a new command comes with its check.
`streamlit run` never exits: it is started on a free port, must answer its health check and
serve the page, and is stopped.

Not run, by design: the ```text blocks, which the README introduces as such. `make venv`, `make
app` and `make test` install from PyPI (the venv running this test is what they make, and `make
test` would run this test inside itself); `make odds` takes 16-19 minutes and `make workbooks`
rewrites the committed workbooks; `odds --scheduler tcp://HOST:8786` needs a dask cluster of
the reader's own. Slow commands are shrunk in the README instead (`market --years 2`, `odds
--samples 2 --years 3`). Run one after the other the commands took 122 s on two idle cores
(odds 28 s, split 19 s, market 19 s, export 8 s, the rest 1-8 s each); side by side, 64 s.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from served import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
TIMEOUT = 600  # one command; the slowest (`odds`, `split`) take about a minute on two cores

# README command -> what its stdout must contain (a regex), its stderr too where it says more,
# and the file it must write in the scratch directory.
EXPECT: dict[str, dict[str, str]] = {
    ". .venv/bin/activate": {},
    "python -m model --version": {"out": r"^\d+\.\d+\.\d+$"},
    "python -m model list": {"out": r"PRESETS[\s\S]*meta-2024[\s\S]*PARAMETERS\n"},
    "python -m model list --preset openai-2024 --scenario brakes": {
        "out": r"PARAMETERS, values in preset openai-2024, scenario brakes"},
    "python -m model budget --preset openai-2024": {"out": r"budget_total +\$7\.\d+B/year"},
    'python -m model budget --preset meta-2024 --gpu H100 --set "gpu_rental_price=2.5 '
    'USD/GPU/hour"': {"out": r"preset: meta-2024, GPU: H100",
                      "err": r"^note: gpu_rental_price changes nothing in the budget, which "
                             r"does not read it with cost_basis owned$"},
    "python -m model training-run --preset deepseek-v3": {
        "out": r"training_gpu_hours +2,663,715 GPU·hour[\s\S]*training_cost +\$5\.33M"},
    'python -m model training-run --set "gpu_peak_flops=0.99 PFLOP/s/GPU" --format json': {
        "out": r'"gpu_peak_flops": \{\s*"value": 990000000000000\.0'},
    "python -m model observed --format csv": {"out": r"^lab,year,period,measure,[\s\S]*^openai,"},
    "python -m model run --preset ai-2027-lab-2024 --scenario ai-2027 --years 10": {
        "out": r"scenario: ai-2027, npv: [\s\S]*^2024\.00 [\s\S]*^2033\.75 "},
    "python -m model run --preset openai-2024 --scenario brakes --step quarter --format json": {
        "out": r'"scenario": "brakes"'},
    "python -m model run --preset meta-2024 --scenario compute-bottleneck --samples 10000 "
    "--seed 1": {"out": r"samples: 10000, seed: 1\n[\s\S]*software_efficiency_p95"},
    "python -m model sensitivity --preset openai-2024 --scenario brakes --output "
    "software_efficiency": {"out": r"software_efficiency at the last step = [\s\S]*"
                                   r"ELASTICITIES"},
    "python -m model run --preset openai-2024 --step month --set supply_limit=none": {
        "out": r"^2033\.92 "},
    "python -m model backtest --format json": {"out": r'"observable": "OpenAI revenue, 2025"'},
    "python -m model backtest --market": {
        "out": r"^H100 rent, June 2026 \(1-year contracts\) +end-2025: openai +quarter .*yes$"},
    "python -m model backtest --market --from-2024": {
        "out": r"^16 of 93 observable readings within their band[\s\S]*"
               r"^OpenAI revenue, 2025 +end-2024: openai +quarter .* 1\.15 +0\.8-1\.2 +yes$"},
    "python -m model backtest --market --intervals --samples 50": {
        "out": r"^\d+ of 33 readings within the draws' 90% interval \(50 draws, seed 0;[\s\S]*"
               r"^Google tokens a month, May 2026 over October 2025 +end-2025: google-deepmind "
               r"+year +2\.46x +"},
    "python -m model backtest --levers": {
        "out": r"^What it would take:[\s\S]*^all of them together +11 of 29 +16 of 29 +16 of 29 "},
    "python -m model backtest --set capability_price_elasticity=0": {
        "out": r"^25 of 87 observable readings within their band[^\n]*with "
               r"capability_price_elasticity=0 in every preset"},
    "python -m model milestones --scenario ai-2027 --hold": {
        "out": r"split held fixed[\s\S]*^ai-2027 +42\.1% "},
    "python -m model run --preset ai-2027-lab-2024 --scenario ai-2027 --set "
    "allocation_policy=value-maximising": {
        "out": r"value-maximising path (optimal|stopped early)[^\n]*NPV"},
    "python -m model split --preset ai-2027-lab-2024": {
        "out": r"^status-quo +8\.4% +57\.0% +57\.0% +rises[\s\S]*"
                  r"^ai-2027-lab-2024 +already at 1x$"},
    # the seed table under the reader's own assumption: status-quo's answer turns
    "python -m model split --preset ai-2027-lab-2024 --scenario status-quo --set "
    "capability_price_elasticity=0.5": {
        "out": r"inputs capability_price_elasticity=0\.5[\s\S]*^status-quo +39\.6% +57\.0% "
               r"+46\.8% +rises, then falls"},
    "python -m model market --scenario ai-2027 --years 2 --out market.xlsx": {
        "out": r"research share: of the fleet", "file": "market.xlsx"},
    'python -m model market --choice policy --set=-xai --set "openai.fleet_gpus=2e6 GPU" '
    "--format json": {"out": r'"openai"'},
    "python -m model odds --scenario ai-2027 --samples 2 --years 3": {
        "out": r"^ai-2027 +2 +\d+% ± \d+%", "file": "odds-results"},
    "python -m model export --preset openai-2024 --scenarios status-quo,ai-2027,brakes "
    "--years 10 --out openai.xlsx": {"out": r"^wrote openai\.xlsx: 14 sheets",
                                     "file": "openai.xlsx"},
    "python -m model budget --from-workbook openai.xlsx": {
        "out": r"preset: openai-2024[\s\S]*budget_total"},
    ".venv/bin/streamlit run streamlit_app.py": {"serve": "yes"},
}


def blocks() -> list[list[str]]:
    """Each ```sh block of the README as its commands, comments stripped."""
    return [[line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
            for block in BLOCK.findall(README.read_text())]


def venv() -> Path:
    """The venv of the interpreter running this test, or skip outside one."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("the README's commands run in the project's venv; this Python is not a venv")
    return Path(sys.prefix)


def environment(scratch: Path, with_venv: bool) -> dict[str, str]:
    """The shell a reader has: the venv on PATH (activated) or off it, offline."""
    bin_dir = str(venv() / "bin")
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p != bin_dir]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME")}
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens
    env.update(PATH=os.pathsep.join(([bin_dir] if with_venv else []) + path),
               PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(":"),
               HOME=str(scratch), http_proxy=dead, https_proxy=dead, HTTP_PROXY=dead,
               HTTPS_PROXY=dead, no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost",
               PIP_NO_INDEX="1", PYTHONWARNINGS="ignore", COLUMNS="200")
    return env


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """The reader's directory: `.venv`, and the page's files, linked; everything else new."""
    where = tmp_path_factory.mktemp("readme")
    (where / ".venv").symlink_to(venv(), target_is_directory=True)
    for name in ("streamlit_app.py", ".streamlit"):
        (where / name).symlink_to(ROOT / name)
    return where


def run(command: str, scratch: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=scratch, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def check(command: str, done: subprocess.CompletedProcess, scratch: Path) -> None:
    """Exit status 0 and what EXPECT says the command prints and writes."""
    said = f"`{command}` exited {done.returncode}:\n{done.stderr[-2000:]}"
    assert done.returncode == 0, said
    want = EXPECT[command]
    assert re.search(want.get("out", ""), done.stdout.strip(), re.M), (command, done.stdout[:2000])
    if "--format json" in command:
        json.loads(done.stdout)
    if "err" in want:
        assert re.search(want["err"], done.stderr, re.M), (command, done.stderr)
    else:
        assert "Traceback" not in done.stderr and "note:" not in done.stderr, said
    if "file" in want:
        assert (scratch / want["file"]).exists(), f"`{command}` wrote no {want['file']}"


def serve(command: str, scratch: Path, env: dict[str, str]) -> None:
    """A server command: it must come up, answer its health check and serve the page."""
    port = free_port()
    env = {**env, "STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
           "STREAMLIT_SERVER_HEADLESS": "true", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    log = scratch / "streamlit.log"
    with log.open("w") as out:
        proc = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=scratch, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc, log)
        with urllib.request.urlopen(url, timeout=10) as reply:
            assert reply.status == 200 and b"<noscript>" in reply.read()
    finally:
        stop(proc)


def test_every_readme_command_has_a_check():
    commands = [c for block in blocks() for c in block]
    assert len(commands) == len(set(commands)), "a README command appears twice"
    assert sorted(commands) == sorted(EXPECT), (
        f"README commands without a check: {sorted(set(commands) - set(EXPECT))}; checks "
        f"without a README command: {sorted(set(EXPECT) - set(commands))}")


def test_the_quick_start_activates_the_venv(scratch):
    quick = blocks()[0]
    assert quick[0] == ". .venv/bin/activate", quick
    without = environment(scratch, with_venv=False)
    where = "python -c 'import sys; print(sys.prefix)'"
    bare = run(where, scratch, without)
    assert bare.returncode != 0 or Path(bare.stdout.strip()).resolve() != venv().resolve(), (
        "the venv was on PATH before activation: the test would prove nothing")
    done = run("set -e\n" + "\n".join(quick) + "\n" + where, scratch, without)
    *said, prefix = done.stdout.strip().splitlines() or [""]
    assert Path(prefix).resolve() == venv().resolve(), (prefix, done.stderr)
    check(quick[-1], subprocess.CompletedProcess(done.args, done.returncode, "\n".join(said),
                                                 done.stderr), scratch)


def chains(commands: list[str]) -> list[list[str]]:
    """The commands in chains that must run in order: a command that names a file an earlier
    one writes (EXPECT's "file") joins that one's chain; the others are a chain each."""
    out: list[list[str]] = []
    for command in commands:
        words = set(command.split())
        after = next((chain for chain in out for c in chain
                      if EXPECT[c].get("file") in words), None)
        if after is None:
            out.append([command])
        else:
            after.append(command)
    return out


def test_the_commands_wait_for_the_files_they_read():
    done = chains([c for block in blocks()[1:] for c in block])
    export = next(c for c in EXPECT if c.startswith("python -m model export"))
    assert [export, "python -m model budget --from-workbook openai.xlsx"] in done
    assert sum(len(chain) for chain in done) == len(EXPECT) - len(blocks()[0])


def test_every_readme_command_runs(scratch):
    env = environment(scratch, with_venv=True)
    took: dict[str, float] = {}

    def walk(chain: list[str]) -> None:
        for command in chain:  # a failure stops its chain: what follows reads its files
            start = time.monotonic()
            if EXPECT[command].get("serve"):
                serve(command, scratch, env)
            else:
                check(command, run(command, scratch, env), scratch)
            took[command] = time.monotonic() - start

    began = time.monotonic()
    # the README's slow commands (market, odds, export) come last: starting from the end keeps
    # the longest from starting last, when the other core has nothing left to run beside it
    todo = chains([c for block in blocks()[1:] for c in block])[::-1]
    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        futures = [pool.submit(walk, chain) for chain in todo]
    failed = [f.exception() for f in futures if f.exception() is not None]
    print("\n".join(f"{t:6.1f} s  {c}" for c, t in took.items()))
    print(f"{time.monotonic() - began:6.1f} s  in all, side by side")
    if failed:
        raise failed[0]
