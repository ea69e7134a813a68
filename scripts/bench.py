"""`make bench`: this assistant against Rasa's stock starter bot, under the same load, in one run.

For each bot it starts the whole stack (action server, Rasa server, gateway) on free ports,
measures the cold start to the first answer, then replays the scripted conversations of
bench/conversations.yml at 1, 10 and 50 members at once, through the gateway and through Rasa's
REST webhook. It reports per-turn latency (p50, p95, p99), turns per second, errors, the memory
of each process and training times, as ratios to the stock bot where that makes sense, and
writes docs/benchmarks.md beside issue 6's targets.

The stock bot is the project `rasa init` creates (copied from the installed Rasa) and is
trained here, on the spot. Usage: python scripts/bench.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "var" / "results" / "bench.json"
DOC = ROOT / "docs" / "benchmarks.md"
OUR_MODEL = ROOT / "models" / "appeal-assistant.tar.gz"
OURS, STOCK = "appeal_assistant", "stock_starter_bot"
CHANNELS = ("gateway", "rest")
CONCURRENCY = (1, 10, 50)
CONVERSATIONS_AT = {1: 1.0, 10: 2.0, 50: 5.0}  # times through the script at each level
PINNED_TODAY = "2026-11-23"
START_SECONDS = 240
TURN_TIMEOUT = aiohttp.ClientTimeout(total=120)
TARGET_P95_RATIO = 1.5
TARGET_TURNS_PER_SECOND = 30.0
TARGET_COLD_START = 60.0


# Figures ---------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Linear interpolation between the closest ranks (share 0.95 is p95)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Phase:
    channel: str
    concurrency: int
    conversations: int = 0
    turns: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    peak_memory_mb: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        timed = self.latencies_ms or [0.0]
        return {
            "channel": self.channel,
            "concurrency": self.concurrency,
            "conversations": self.conversations,
            "turns": self.turns,
            "seconds": round(self.seconds, 2),
            "turns_per_second": round(self.turns / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(percentile(timed, 0.50), 1),
            "p95_ms": round(percentile(timed, 0.95), 1),
            "p99_ms": round(percentile(timed, 0.99), 1),
            "errors": len(self.errors),
            "error_examples": self.errors[:5],
            "peak_memory_mb": {k: round(v) for k, v in self.peak_memory_mb.items()},
            "cpu_ms_per_turn": {
                name: round(1000 * seconds / self.turns, 1) if self.turns else 0.0
                for name, seconds in self.cpu_seconds.items()
            },
        }


# Conversations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    text: str
    expect: str | None


def load_conversations(bot: str) -> list[list[Turn]]:
    script = yaml.safe_load((ROOT / "bench" / "conversations.yml").read_text(encoding="utf-8"))
    conversations = []
    for conversation in script[bot]:
        turns = []
        for turn in conversation["turns"]:
            said = (
                (ROOT / turn["paste"]).read_text(encoding="utf-8")
                if "paste" in turn
                else turn["say"]
            )
            turns.append(Turn(str(said), turn.get("expect")))
        conversations.append(turns)
    return conversations


# Processes -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Stack:
    """One bot's action server, Rasa server and gateway."""

    bot: str
    project: Path
    model: Path
    work: Path
    urls: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def commands(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        ports = {name: free_port() for name in ("actions", "rasa", "gateway")}
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        endpoints = self.work / "endpoints.yml"
        tracker = "tracker_store:\n  type: components.tracker_store.DatabaseUrlTrackerStore\n"
        endpoints.write_text(
            f'action_endpoint:\n  url: "{self.urls["actions"]}/webhook"\n'
            + (tracker if self.bot == OURS else "")
        )
        rasa = str(BIN / "rasa")
        commands = {
            "actions": [rasa, "run", "actions", "--actions", "actions",
                        "--port", str(ports["actions"])],
            "rasa": [rasa, "run", "--model", str(self.model), "--endpoints", str(endpoints),
                     "--credentials", str(self.project / "credentials.yml"),
                     "--interface", "127.0.0.1", "--port", str(ports["rasa"])],
            "gateway": [sys.executable, "-m", "gateway"],
        }  # fmt: skip
        env = {
            **os.environ,
            "APPEAL_TODAY": PINNED_TODAY,
            "APPEAL_DATABASE_URL": f"sqlite:///{self.work / 'appeal.db'}",
            "APPEAL_PUBLIC_URL": self.urls["gateway"],
            "GATEWAY_PORT": str(ports["gateway"]),
            "RASA_URL": self.urls["rasa"],
            "ACTION_SERVER_URL": self.urls["actions"],
            "ADVOCATE_HOURS": "always",
            # One client address plays every member here: per-address limits would bite.
            "GATEWAY_MESSAGES_PER_MINUTE": "1000000",
            "GATEWAY_CONVERSATIONS_PER_MINUTE": "1000000",
            "SANIC_HOST": "127.0.0.1",
        }
        return commands, env

    def start(self) -> float:
        """Start all three at once; seconds until the gateway gives a first real answer."""
        commands, env = self.commands()
        ours = {**env, "PYTHONPATH": str(ROOT)}
        # The stock bot's own `actions` package must win over this project's.
        stock = {**env, "PYTHONPATH": f"{self.project}{os.pathsep}{ROOT}"}
        subprocess.run([sys.executable, str(ROOT / "scripts" / "prepare_database.py")],
                       env=ours, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        started = time.monotonic()
        for name, command in commands.items():
            cwd = ROOT if name == "gateway" or self.bot == OURS else self.project
            process_env = ours if name == "gateway" or self.bot == OURS else stock
            with (self.work / f"{name}.log").open("wb") as log:
                self.processes[name] = subprocess.Popen(
                    command, cwd=cwd, env=process_env, stdout=log, stderr=subprocess.STDOUT
                )
        asyncio.run(self._first_answer())
        return time.monotonic() - started

    async def _first_answer(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        async with aiohttp.ClientSession() as client:
            while time.monotonic() < deadline:
                for name, process in self.processes.items():
                    if process.poll() is not None:
                        log = (self.work / f"{name}.log").read_text(errors="replace")
                        raise RuntimeError(f"{self.bot} {name} exited:\n{log[-3000:]}")
                try:
                    member = await open_member(client, self.urls["gateway"])
                    status, messages = await gateway_turn(
                        client, self.urls["gateway"], member, "hi"
                    )
                    if status == 200 and messages:
                        return
                except (aiohttp.ClientError, asyncio.TimeoutError, KeyError, ValueError):
                    pass
                await asyncio.sleep(0.25)
        raise RuntimeError(f"{self.bot} gave no answer in {START_SECONDS} s; see {self.work}")

    def memory(self) -> dict[str, float]:
        return {name: rss_mb(process.pid) for name, process in self.processes.items()}

    def cpu(self) -> dict[str, float]:
        return {name: cpu_seconds(process.pid) for name, process in self.processes.items()}

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


# Load ------------------------------------------------------------------------------------------


async def open_member(client: aiohttp.ClientSession, gateway: str) -> str:
    async with client.post(f"{gateway}/api/conversations", timeout=TURN_TIMEOUT) as response:
        return str((await response.json())["conversation"])


async def gateway_turn(
    client: aiohttp.ClientSession, gateway: str, member: str, text: str
) -> tuple[int, list[str]]:
    async with client.post(
        f"{gateway}/api/messages", json={"text": text}, headers={"X-Conversation": member},
        timeout=TURN_TIMEOUT,
    ) as response:  # fmt: skip
        body = await response.json(content_type=None)
        return response.status, [str(m.get("text", "")) for m in body.get("messages", [])]


async def rest_turn(
    client: aiohttp.ClientSession, rasa: str, sender: str, text: str
) -> tuple[int, list[str]]:
    async with client.post(
        f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text},
        timeout=TURN_TIMEOUT,
    ) as response:  # fmt: skip
        body = await response.json(content_type=None)
        return response.status, [str(m.get("text", "")) for m in body if isinstance(m, dict)]


async def replay(stack: Stack, conversations: list[list[Turn]], phase: Phase) -> None:
    """`phase.concurrency` members, each replaying conversations one after another with no
    pause between turns (the most load the members can put on the stack)."""
    total = max(phase.concurrency, round(len(conversations) * CONVERSATIONS_AT[phase.concurrency]))
    queue: asyncio.Queue[list[Turn]] = asyncio.Queue()
    for number in range(total):
        queue.put_nowait(conversations[number % len(conversations)])
    connector = aiohttp.TCPConnector(limit=phase.concurrency + 5)
    async with aiohttp.ClientSession(connector=connector) as client:

        async def member() -> None:
            while not queue.empty():
                conversation = queue.get_nowait()
                phase.conversations += 1
                await play(client, stack, conversation, phase)

        async def watch_memory() -> None:
            while True:
                for name, megabytes in stack.memory().items():
                    phase.peak_memory_mb[name] = max(phase.peak_memory_mb.get(name, 0), megabytes)
                await asyncio.sleep(0.5)

        watcher = asyncio.create_task(watch_memory())
        cpu_before = stack.cpu()
        started = time.monotonic()
        await asyncio.gather(*(member() for _ in range(phase.concurrency)))
        phase.seconds = time.monotonic() - started
        phase.cpu_seconds = {name: used - cpu_before[name] for name, used in stack.cpu().items()}
        watcher.cancel()


async def play(
    client: aiohttp.ClientSession, stack: Stack, conversation: list[Turn], phase: Phase
) -> None:
    try:
        if phase.channel == "gateway":
            member = await open_member(client, stack.urls["gateway"])
        else:
            member = f"bench-{uuid.uuid4().hex}"
    except (aiohttp.ClientError, asyncio.TimeoutError, KeyError, ValueError) as error:
        phase.errors.append(f"could not open a conversation: {type(error).__name__}")
        return
    for turn in conversation:
        started = time.monotonic()
        try:
            if phase.channel == "gateway":
                status, said = await gateway_turn(client, stack.urls["gateway"], member, turn.text)
            else:
                status, said = await rest_turn(client, stack.urls["rasa"], member, turn.text)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            status, said = 0, [type(error).__name__]
        phase.latencies_ms.append((time.monotonic() - started) * 1000)
        phase.turns += 1
        answer = "\n".join(said)
        if status != 200 or not answer.strip():
            phase.errors.append(f"{status} to {turn.text[:40]!r}: {answer[:80]!r}")
            return  # the rest of this conversation would be off the script
        if turn.expect and turn.expect not in answer:
            phase.errors.append(f"wrong answer to {turn.text[:40]!r}: {answer[:80]!r}")
            return


# The stock bot ---------------------------------------------------------------------------------


def timed_training(project: Path, out: Path, *arguments: str) -> float:
    """Seconds for a full training (`--force`: nothing reused from Rasa's training cache)."""
    started = time.monotonic()
    subprocess.run(
        [str(BIN / "rasa"), "train", "--force", "--quiet", "--out", str(out), *arguments],
        cwd=project, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": f"{project}{os.pathsep}{ROOT}"},
    )  # fmt: skip
    return time.monotonic() - started


def stock_project() -> tuple[Path, Path, float]:
    """The `rasa init` project copied from the installed Rasa, trained now: (project, model,
    training seconds)."""
    import rasa.cli

    project = WORK / "stock" / "project"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(Path(rasa.cli.__file__).parent / "initial_project", project)
    seconds = timed_training(project, project / "models", "--fixed-model-name", "stock")
    return project, project / "models" / "stock.tar.gz", seconds


def our_training() -> float:
    """This assistant trained from scratch, as `make train` does, into a scratch folder (the
    model served is the one `make train` keeps in models/)."""
    return timed_training(
        ROOT, WORK / "training", "--domain", "domain", "--data", "data",
        "--config", "config.yml", "--fixed-model-name", "appeal-assistant",
    )  # fmt: skip


# One run ---------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = 0.0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory_gb = round(total_kb / 1024 / 1024, 1)
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "memory_gb": memory_gb,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                           capture_output=True, check=False)  # fmt: skip
    return found.stdout.strip() or "unknown"


def bench_bot(bot: str, project: Path, model: Path) -> dict[str, Any]:
    work = WORK / bot
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    stack = Stack(bot, project, model, work)
    conversations = load_conversations(bot)
    print(f"{bot}: starting the stack...", flush=True)
    try:
        cold_start = stack.start()
        at_rest = stack.memory()
        phases = []
        for channel in CHANNELS:
            for concurrency in CONCURRENCY:
                phase = Phase(channel, concurrency)
                asyncio.run(replay(stack, conversations, phase))
                summary = phase.summary()
                print(f"  {channel:<8} {concurrency:>2} members: {summary['turns']} turns, "
                      f"{summary['turns_per_second']}/s, p95 {summary['p95_ms']} ms, "
                      f"{summary['errors']} errors", flush=True)  # fmt: skip
                phases.append(summary)
        after = stack.memory()
    finally:
        stack.stop()
    return {
        "cold_start_seconds": round(cold_start, 1),
        "memory_at_rest_mb": {k: round(v) for k, v in at_rest.items()},
        "memory_after_load_mb": {k: round(v) for k, v in after.items()},
        "conversations": len(conversations),
        "scripted_turns": sum(len(c) for c in conversations),
        "phases": phases,
    }


def run() -> dict[str, Any]:
    if not OUR_MODEL.exists():
        raise SystemExit(f"{OUR_MODEL} is missing: run `make train` (make bench does it for you)")
    print("Training the stock starter bot (rasa init's project)...", flush=True)
    project, stock_model, stock_training = stock_project()
    print("Training this assistant from scratch...", flush=True)
    ours_training = our_training()
    return {
        "date": date.today().isoformat(),
        "commit": commit(),
        "machine": machine(),
        "training_seconds": {OURS: round(ours_training, 1), STOCK: round(stock_training, 1)},
        "model_mb": {
            OURS: round(OUR_MODEL.stat().st_size / 1e6, 1),
            STOCK: round(stock_model.stat().st_size / 1e6, 1),
        },
        "bots": {
            OURS: bench_bot(OURS, ROOT, OUR_MODEL),
            STOCK: bench_bot(STOCK, project, stock_model),
        },
    }


# The report ------------------------------------------------------------------------------------


def _verdict(met: bool, shortfall: str) -> str:
    return "**met**" if met else f"**missed** ({shortfall})"


def _phase(results: dict[str, Any], bot: str, channel: str, concurrency: int) -> dict[str, Any]:
    for phase in results["bots"][bot]["phases"]:
        if phase["channel"] == channel and phase["concurrency"] == concurrency:
            return dict(phase)
    raise KeyError((bot, channel, concurrency))


def targets(results: dict[str, Any]) -> list[str]:
    lines = []
    for channel in CHANNELS:
        for concurrency in CONCURRENCY:
            ours = _phase(results, OURS, channel, concurrency)["p95_ms"]
            stock = _phase(results, STOCK, channel, concurrency)["p95_ms"]
            ratio = ours / stock if stock else float("inf")
            lines.append(
                f"- p95 per turn, {channel}, {concurrency} at once: {ratio:.2f}× the stock bot's "
                f"({ours:.0f} ms against {stock:.0f} ms), target at most {TARGET_P95_RATIO}×: "
                + _verdict(ratio <= TARGET_P95_RATIO, f"by {ratio - TARGET_P95_RATIO:.2f}×")
            )
    for channel in CHANNELS:
        busiest = _phase(results, OURS, channel, max(CONCURRENCY))
        rate, errors = busiest["turns_per_second"], busiest["errors"]
        met = rate >= TARGET_TURNS_PER_SECOND and errors == 0
        shortfall = ", ".join(
            part
            for part in (
                f"{TARGET_TURNS_PER_SECOND - rate:.1f} turns/s short"
                if rate < TARGET_TURNS_PER_SECOND else "",
                f"{errors} errors" if errors else "",
            )
            if part
        )  # fmt: skip
        lines.append(
            f"- Throughput, {channel}, {max(CONCURRENCY)} at once: {rate:.1f} turns/s with "
            f"{errors} errors, target at least {TARGET_TURNS_PER_SECOND:.0f} with none: "
            + _verdict(met, shortfall)
        )
    cold = results["bots"][OURS]["cold_start_seconds"]
    lines.append(
        f"- Cold start to the first answer: {cold:.1f} s, target under {TARGET_COLD_START:.0f} s: "
        + _verdict(cold < TARGET_COLD_START, f"by {cold - TARGET_COLD_START:.1f} s")
    )
    return lines


def _latency_table(results: dict[str, Any], channel: str) -> list[str]:
    rows = [
        "| members at once | this assistant p50 / p95 / p99 (ms) | stock bot p50 / p95 / p99 (ms) "
        "| p95 ratio | turns/s (this / stock) | turns (this / stock) | errors (this / stock) |",
        "|---|---|---|---|---|---|---|",
    ]
    for concurrency in CONCURRENCY:
        ours = _phase(results, OURS, channel, concurrency)
        stock = _phase(results, STOCK, channel, concurrency)
        ratio = ours["p95_ms"] / stock["p95_ms"] if stock["p95_ms"] else float("inf")
        rows.append(
            f"| {concurrency} | {ours['p50_ms']:.0f} / {ours['p95_ms']:.0f} / {ours['p99_ms']:.0f} "
            f"| {stock['p50_ms']:.0f} / {stock['p95_ms']:.0f} / {stock['p99_ms']:.0f} "
            f"| {ratio:.2f}× | {ours['turns_per_second']:.1f} / {stock['turns_per_second']:.1f} "
            f"| {ours['turns']} / {stock['turns']} | {ours['errors']} / {stock['errors']} |"
        )
    return rows


def _memory_rows(results: dict[str, Any]) -> list[str]:
    rows = ["| process | this assistant at rest / peak (MB) | stock bot at rest / peak (MB) |",
            "|---|---|---|"]  # fmt: skip
    for name in ("rasa", "actions", "gateway"):
        cells = []
        for bot in (OURS, STOCK):
            peak = max(
                phase["peak_memory_mb"].get(name, 0) for phase in results["bots"][bot]["phases"]
            )
            cells.append(f"{results['bots'][bot]['memory_at_rest_mb'][name]} / {peak}")
        rows.append(f"| {name} | {cells[0]} | {cells[1]} |")
    return rows


def _cpu_rows(results: dict[str, Any], channel: str) -> list[str]:
    """CPU time each process spent per turn at the heaviest load: where the time goes."""
    level = CONCURRENCY[-1]
    ours = _phase(results, OURS, channel, level).get("cpu_ms_per_turn")
    stock = _phase(results, STOCK, channel, level).get("cpu_ms_per_turn")
    if not ours or not stock:
        return [f"- {channel}: not measured in this run."]
    rows = [f"| process, {channel}, {level} at once | this assistant (ms) | stock bot (ms) |",
            "|---|---|---|"]  # fmt: skip
    for name in ("rasa", "actions", "gateway"):
        rows.append(f"| {name} | {ours.get(name, 0):.1f} | {stock.get(name, 0):.1f} |")
    rows.append(f"| all three | {sum(ours.values()):.1f} | {sum(stock.values()):.1f} |")
    return rows


def _seconds(value: float | None) -> str:
    return "not measured in this run" if value is None else f"{value:.0f} s"


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    ours, stock = results["bots"][OURS], results["bots"][STOCK]
    training = results["training_seconds"]
    errors = [
        f"- {bot}, {phase['channel']}, {phase['concurrency']} at once: {example}"
        for bot in (OURS, STOCK)
        for phase in results["bots"][bot]["phases"]
        for example in phase["error_examples"]
    ]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {results['date']} at commit {results['commit']}. "
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['system']}, "
        f"Python {m['python']}.",
        "",
        "Both bots ran in the same run, one after the other, on the same machine, each as a whole "
        "stack (action server, Rasa server, website gateway). The stock bot is the starter bot "
        "`rasa init` creates, trained on the spot with its default configuration. Machines are "
        "noisy: the ratios within this run are the figures that count.",
        "",
        f"Load: the scripted conversations of `bench/conversations.yml` ({ours['conversations']} "
        f"for this assistant, {ours['scripted_turns']} turns; {stock['conversations']} for the "
        f"stock bot, {stock['scripted_turns']} turns), replayed by 1, 10 and 50 members at once, "
        "each member sending its next message as soon as the answer arrives (no reading time, so "
        "this is the most load that many members can make). A turn is one message and its whole "
        "answer. An error is a failed request, an empty answer, or an answer without the text "
        "the script expects.",
        "",
        "## Targets (issue 6, on 2 cores)",
        "",
        *targets(results),
        "",
        "## Through the website gateway",
        "",
        *_latency_table(results, "gateway"),
        "",
        "## Through Rasa's REST webhook",
        "",
        *_latency_table(results, "rest"),
        "",
        "## Start, training and memory",
        "",
        f"- Cold start (all three processes started at once, to the first answer through the "
        f"gateway): this assistant {ours['cold_start_seconds']:.1f} s, stock bot "
        f"{stock['cold_start_seconds']:.1f} s.",
        f"- Training from scratch on this machine: this assistant {_seconds(training[OURS])}; "
        f"stock bot {_seconds(training[STOCK])}.",
        f"- Model size: this assistant {results['model_mb'][OURS]} MB, stock bot "
        f"{results['model_mb'][STOCK]} MB.",
        "",
        *_memory_rows(results),
        "",
        "## Where the CPU goes",
        "",
        "CPU time (user and system, all threads) each process used per turn while 50 members "
        "talked at once. The Rasa server answers on one event loop, so its figure bounds the "
        "turns per second one server can give (1000 ms divided by it, at best).",
        "",
        *_cpu_rows(results, "gateway"),
        "",
        *_cpu_rows(results, "rest"),
        "",
        "## Errors",
        "",
        *(errors or ["None."]),
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--render-only", action="store_true",
                        help="write docs/benchmarks.md from the last results")  # fmt: skip
    arguments = parser.parse_args()
    if arguments.render_only:
        results = json.loads(RESULTS.read_text())
    else:
        results = run()
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2))
    DOC.write_text(render(results), encoding="utf-8")
    print("\n".join(targets(results)))
    print(f"Written to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
