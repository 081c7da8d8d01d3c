#!/usr/bin/env python3
"""Whole-process benchmark of rolemap (docs/benchmarks.md).

    python3 bench/run.py            # full run: builds what is missing, generates the inputs, times, writes the report
    python3 bench/run.py --smoke    # seconds: tiny inputs, 2 runs; what CI runs so the benchmark never rots
    python3 bench/run.py --micro    # only the BenchmarkDotNet micro-benchmarks (ShortRun), into bench/results/micro
    python3 bench/run.py --cluster  # only the cluster scenarios (fleet over a 150 ms test API server, writers under faults)
    python3 bench/run.py --report   # only rolemap report: write time, and Chromium opening the page (add --smoke for tiny inputs)

Every scenario runs its commands interleaved (A B C, A B C, ...) so that a change in machine load hits all of them
alike; the report gives medians of wall time and the peak resident memory of each process (GNU time's %M).
Outputs of rolemap and the Python baseline are compared byte for byte before anything is timed.
Writes bench/results/<name>.json and .md and the chart docs/benchmarks.svg (full runs only).
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
ROLEMAP = os.path.join(ROOT, "artifacts", "rolemap", "rolemap")
HELLO = os.path.join(ROOT, "artifacts", "hello", "hello")
FLOOR = os.path.join(ROOT, "artifacts", "native-floor", "native-floor")
GENERATOR = os.path.join(BENCH, "RoleMap.Bench", "bin", "Release", "net10.0", "RoleMap.Bench")
BASELINE = os.path.join(BENCH, "baseline", "aws_auth_generator.py")
APISERVER = os.path.join(ROOT, "tests", "RoleMap.TestApiServer", "bin", "Release", "net10.0", "rolemap-test-apiserver")


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def run_quiet(args, **kwargs):
    log("$", " ".join(args))
    subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, **kwargs)


def build(rebuild, report_only=False):
    """The native binaries and the input generator; what exists is reused unless --rebuild. The report needs two."""
    if rebuild or not os.path.exists(ROLEMAP):
        run_quiet(["dotnet", "publish", "src/RoleMap.Cli", "-c", "Release", "-r", "linux-x64", "-o", "artifacts/rolemap"])
    if report_only:
        if rebuild or not os.path.exists(GENERATOR):
            run_quiet(["dotnet", "build", "bench/RoleMap.Bench", "-c", "Release"])
        return
    if rebuild or not os.path.exists(HELLO):
        run_quiet(["dotnet", "publish", "bench/Hello", "-c", "Release", "-r", "linux-x64", "-o", "artifacts/hello"])
    if rebuild or not os.path.exists(FLOOR):
        run_quiet(["dotnet", "publish", "bench/NativeFloor", "-c", "Release", "-r", "linux-x64", "-o", "artifacts/native-floor"])
    if rebuild or not os.path.exists(GENERATOR):
        run_quiet(["dotnet", "build", "bench/RoleMap.Bench", "-c", "Release"])
    if rebuild or not os.path.exists(APISERVER):
        run_quiet(["dotnet", "build", "tests/RoleMap.TestApiServer", "-c", "Release"])


def measure(argv, stdin_path, stdout_path=os.devnull):
    """One run: wall seconds, peak RSS in MiB and exit code, from fork to wait4."""
    with open(stdin_path or os.devnull, "rb") as stdin, open(stdout_path, "wb") as stdout:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024.0, process.returncode


class Command:
    def __init__(self, label, argv, stdin=None, ok=(0,)):
        self.label, self.argv, self.stdin, self.ok = label, argv, stdin, ok
        self.times, self.rss = [], []

    def summary(self):
        return {
            "label": self.label,
            "argv": [os.path.relpath(a, ROOT) if a.startswith(ROOT) else a for a in self.argv],
            "runs": len(self.times),
            "median_s": statistics.median(self.times),
            "min_s": min(self.times),
            "max_s": max(self.times),
            "peak_rss_mib": max(self.rss),
            # Every run in order: a slow virtual CPU shows as a second cluster of times (docs/benchmarks.md, Results).
            "times_s": [round(t, 6) for t in self.times],
        }


def interleave(name, commands, runs, warmup=1):
    """Runs the commands round-robin; the first `warmup` rounds (page cache, CPU frequency) are not counted."""
    log("== %s: %d runs of %s" % (name, runs, ", ".join(c.label for c in commands)))
    for round_number in range(warmup + runs):
        for command in commands:
            elapsed, rss, code = measure(command.argv, command.stdin)
            if code not in command.ok:
                raise SystemExit("%s: %s exited %d" % (name, " ".join(command.argv), code))
            if round_number >= warmup:
                command.times.append(elapsed)
                command.rss.append(rss)
    for command in commands:
        command.rss = [peak_rss(command) or max(command.rss)]
    return {"name": name, "commands": [c.summary() for c in commands]}


def peak_rss(command):
    """
    Peak RSS in MiB from one more run under GNU time. A child forked from this Python process inherits Python's
    high-water mark in ru_maxrss (17 MiB here), which would hide the size of small processes; one forked from
    /usr/bin/time starts from time's 2 MiB.
    """
    if not os.path.exists("/usr/bin/time"):
        return None
    report = os.path.join(ROOT, "bench", "out", "scratch", "rss")
    _, _, code = measure(["/usr/bin/time", "-f", "%M", "-o", report] + command.argv, command.stdin)
    if code not in command.ok:
        return None
    with open(report) as f:
        return int(f.read().split()[-1]) / 1024.0


def same_output(a, b, stdin, scratch):
    """Both commands print the same bytes for this input (the comparison is only fair if they do the same work)."""
    outputs = []
    for argv in (a, b):
        path = os.path.join(scratch, "out-%d" % len(outputs))
        _, _, code = measure(argv, stdin, path)
        if code != 0:
            raise SystemExit("%s exited %d on %s" % (" ".join(argv), code, stdin))
        with open(path, "rb") as f:
            outputs.append(f.read())
    if outputs[0] != outputs[1]:
        raise SystemExit("%s and %s print different output for %s; the comparison would be meaningless" % (a[0], b[-1], stdin))


def generate(inputs, mapping_sizes, rbac_rules, principals):
    os.makedirs(inputs, exist_ok=True)
    for size in mapping_sizes:
        if not os.path.exists(os.path.join(inputs, "mappings-%d.query.json" % size)):
            run_quiet([GENERATOR, "generate", "mappings", str(size), inputs])
    if not os.path.exists(os.path.join(inputs, "rbac-%d.yaml" % rbac_rules)):
        run_quiet([GENERATOR, "generate", "rbac", str(rbac_rules), str(principals), inputs])
    with open(os.path.join(inputs, "rbac-%d.info" % rbac_rules)) as f:
        return dict(line.strip().split("=", 1) for line in f if "=" in line)


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyyaml": __import__("yaml").__version__,
        "dotnet_sdk": dotnet,
        "load_average_at_start": os.getloadavg()[0],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny inputs and 2 runs (CI)")
    parser.add_argument("--runs", type=int, help="timed runs per command (default 10, smoke 2)")
    parser.add_argument("--rebuild", action="store_true", help="publish rolemap and hello again even if present")
    parser.add_argument("--baseline-max", type=int, default=100_000, help="largest mapping count the Python baseline is timed on")
    parser.add_argument("--name", help="results file name (default: full, smoke or cluster)")
    parser.add_argument("--micro", action="store_true", help="run only the BenchmarkDotNet micro-benchmarks (ShortRun job); reports go to bench/results/micro")
    parser.add_argument("--cluster", action="store_true", help="run only the cluster scenarios (fleet, writers under faults), into bench/results/cluster (or smoke)")
    parser.add_argument("--report", action="store_true", help="run only the report scenario (write time, Chromium first paint), into bench/results/report (or smoke.report)")
    args = parser.parse_args()

    smoke = args.smoke
    runs = args.runs or (2 if smoke else 10)
    mapping_sizes = [100, 1000] if smoke else [1000, 10_000, 100_000, 1_000_000]
    rbac_rules, principals = (2000, 50) if smoke else (100_000, 1000)
    name = args.name or ("smoke.report" if smoke and args.report else "report" if args.report else "smoke" if smoke else "cluster" if args.cluster else "full")
    inputs = os.path.join(ROOT, "bench", "out", "inputs")
    scratch = os.path.join(ROOT, "bench", "out", "scratch")
    os.makedirs(scratch, exist_ok=True)

    build(args.rebuild, report_only=args.report)
    if args.micro:
        micro(smoke=False)
        return
    results = {"machine": machine(), "smoke": smoke, "runs": runs, "scenarios": []}
    if args.report:
        report_scenario(results, runs, inputs, scratch, rbac_rules, principals)
    else:
        if not args.cluster:
            file_scenarios(results, args, smoke, runs, inputs, scratch, mapping_sizes, rbac_rules, principals)
            report_scenario(results, runs, inputs, scratch, rbac_rules, principals)
        cluster_scenarios(results, smoke, runs, scratch)
    results["targets"] = targets(results)
    out = os.path.join(BENCH, "results")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(results, f, indent=2)
    report = markdown(results)
    with open(os.path.join(out, name + ".md"), "w") as f:
        f.write(report)
    if not smoke and not args.cluster and not args.report:
        with open(os.path.join(ROOT, "docs", "benchmarks.svg"), "w") as f:
            f.write(chart(results))
    print(report)
    if smoke and not args.report:
        micro(smoke)


def file_scenarios(results, args, smoke, runs, inputs, scratch, mapping_sizes, rbac_rules, principals):
    """The commands that read files: start-up, scale of the Terraform protocol, lint, RBAC."""
    info = generate(inputs, mapping_sizes, rbac_rules, principals)
    python = sys.executable
    example = os.path.join(BENCH, "example.query.json")

    # 1. Startup: the bundled example through the Terraform protocol, against the baseline and a native hello world;
    #    `rolemap --version` is the start-up floor of rolemap itself (no input read, one command built), the native floor
    #    (bench/NativeFloor: the baseline's work in native code, no checks) that of the work.
    same_output([ROLEMAP, "terraform-external"], [python, BASELINE], example, scratch)
    same_output([ROLEMAP, "terraform-external"], [FLOOR], example, scratch)
    results["scenarios"].append(interleave("example", [
        Command("rolemap terraform-external", [ROLEMAP, "terraform-external"], example),
        Command("python baseline", [python, BASELINE], example),
        Command("native floor", [FLOOR], example),
        Command("NativeAOT hello world", [HELLO]),
        Command("rolemap --version", [ROLEMAP, "--version"]),
    ], runs))

    # 2. Scale: N role mappings, N/10 users, N/100 node roles.
    for size in mapping_sizes:
        query = os.path.join(inputs, "mappings-%d.query.json" % size)
        same_output([ROLEMAP, "terraform-external"], [FLOOR], query, scratch)
        commands = [Command("rolemap terraform-external", [ROLEMAP, "terraform-external"], query), Command("native floor", [FLOOR], query)]
        if size <= args.baseline_max:
            same_output([ROLEMAP, "terraform-external"], [python, BASELINE], query, scratch)
            commands.append(Command("python baseline", [python, BASELINE], query))
        # As many runs of the large inputs as of the rest: on the benchmark's machine a slow phase of the host can last a
        # minute and slow three runs in a row (docs/benchmarks.md), which with 5 runs made it the median.
        scenario = interleave("mappings-%d" % size, commands, runs)
        scenario["size"] = size
        results["scenarios"].append(scenario)

    # 3. lint on the largest spec the baseline also ran on (100,000 mappings in a full run).
    lint_size = max(s for s in mapping_sizes if s <= 100_000)
    spec = os.path.join(inputs, "mappings-%d.spec.yaml" % lint_size)
    results["scenarios"].append(interleave("lint-%d" % lint_size, [Command("rolemap lint", [ROLEMAP, "lint", spec])], runs))

    # 4. RBAC: a kubectl List of ~rbac_rules rules; who-can, can-i and matrix over every mapped principal.
    rbac = os.path.join(inputs, "rbac-%d.yaml" % rbac_rules)
    rbac_spec = os.path.join(inputs, "rbac-%d.spec.yaml" % rbac_rules)
    ns = info["namespace"]
    results["scenarios"].append(interleave("rbac-%d" % rbac_rules, [
        Command("who-can get secrets", [ROLEMAP, "who-can", "get", "secrets", "-n", ns, "--rbac", rbac, "--spec", rbac_spec]),
        Command("can-i get secrets", [ROLEMAP, "can-i", "get", "secrets", "-n", ns, "--as-arn", info["arn"], "--spec", rbac_spec, "--rbac", rbac, "-q"], ok=(0, 1)),
        Command("matrix --all-mapped", [ROLEMAP, "matrix", "--all-mapped", "--spec", rbac_spec, "--rbac", rbac, "-n", ns, "-o", "csv"]),
    ], runs))
    results["scenarios"][-1]["info"] = info


def cluster_scenarios(results, smoke, runs, scratch):
    """The commands that talk to clusters, against the project's test API server as a process."""
    # 5. Fleet: 'get' over 1 and over N contexts of a test API server that answers after 150 ms (--parallel 8, the default).
    fleet_size = 4 if smoke else 24
    with TestApiServer(scratch, "fleet", ["--latency-ms", "150", "--contexts", str(fleet_size)]) as server:
        def get(n, *extra):
            return [ROLEMAP, "get", "--kubeconfig", server.kubeconfig] + [a for i in range(1, n + 1) for a in ("--context", "test-%d" % i)] + list(extra)
        fleet = [Command("get, 1 context", get(1), ok=(0, 1)), Command("get, %d contexts" % fleet_size, get(fleet_size), ok=(0, 1))]
        if not smoke:
            fleet.append(Command("get, %d contexts, --parallel 1" % fleet_size, get(fleet_size, "--parallel", "1"), ok=(0, 1)))
        results["scenarios"].append(interleave("fleet-%d" % fleet_size, fleet, runs if smoke else max(3, runs // 2)))
        results["scenarios"][-1]["size_contexts"] = fleet_size

    # 6. Writers under faults: concurrent 'rolemap upsert' processes and a foreign writer against a server that answers
    #    429/503 (Retry-After), 500, and drops connections after handling writes.
    results["writers"] = writers_under_faults(scratch, writers=3 if smoke else 10, rounds=1 if smoke else 3, retry_after=0 if smoke else 1)


def micro(smoke):
    """BenchmarkDotNet: in smoke mode every benchmark once, in-process (seconds); otherwise the ShortRun job."""
    artifacts = os.path.join(ROOT, "bench", "out", "bdn")
    job = ["--job", "dry", "--inProcess"] if smoke else ["--job", "short"]
    run_quiet([GENERATOR, "micro", "--filter", "*", "--artifacts", artifacts] + job)
    if not smoke:
        target = os.path.join(BENCH, "results", "micro")
        os.makedirs(target, exist_ok=True)
        results = os.path.join(artifacts, "results")
        for name in sorted(os.listdir(results)):
            if name.endswith("-report-github.md"):
                with open(os.path.join(results, name)) as src, open(os.path.join(target, name.replace("RoleMap.Bench.Micro.", "").replace("-report-github", "")), "w") as dst:
                    dst.write(src.read())


class TestApiServer:
    """The project's test API server as a process: started, its kubeconfig written, stopped (SIGTERM) at the end."""

    def __init__(self, scratch, name, args):
        self.kubeconfig = os.path.join(scratch, name + ".kubeconfig")
        self.args = [APISERVER, "--kubeconfig-out", self.kubeconfig, "--seed-example"] + args

    def __enter__(self):
        if os.path.exists(self.kubeconfig):
            os.remove(self.kubeconfig)
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.process.kill()
            raise SystemExit("the test API server did not start: %r" % line)
        self.url = line.split("listening on ", 1)[1].split(";", 1)[0].strip()
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def writers_under_faults(scratch, writers, rounds, retry_after):
    """
    Rounds of `writers` concurrent rolemap processes, each adding its own role, plus a foreign writer (a careful
    read-modify-write with resourceVersion, as a controller would, every 0.1 to 0.3 s) adding entries meanwhile,
    against a server with seeded faults. Counts: writers that succeeded, entries lost (foreign, seeded or reported written but absent at the
    end), false successes (exit 0 but the entry absent), and failures that were not exactly one message.
    """
    import random
    import ssl
    import threading
    import urllib.request
    import base64
    import yaml

    totals = {"writers": 0, "succeeded": 0, "failed": 0, "lost": 0, "false_successes": 0, "unclear_failures": 0, "seconds": [], "failures": []}
    for round_number in range(rounds):
        faults = ["--fault-seed", str(16 + round_number), "--fault-429", "0.08", "--fault-503", "0.06", "--fault-500", "0.06",
                  "--fault-drop-after-write", "0.15", "--retry-after", str(retry_after)]
        with TestApiServer(scratch, "faults", faults) as server:
            with open(server.kubeconfig) as f:
                config = yaml.safe_load(f)
            ca = base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"]).decode()
            context = ssl.create_default_context(cadata=ca)
            url = server.url.rstrip("/") + "/api/v1/namespaces/kube-system/configmaps/aws-auth"
            headers = {"Authorization": "Bearer admin-token", "Content-Type": "application/json", "Accept": "application/json"}

            def call(method, body=None):
                request = urllib.request.Request(url, data=body and json.dumps(body).encode(), method=method, headers=headers)
                with urllib.request.urlopen(request, context=context, timeout=30) as response:
                    return json.loads(response.read())

            foreign, stop = [], threading.Event()

            def foreign_writer():
                k = 0
                while not stop.is_set():
                    arn = "arn:aws:iam::111122223333:role/foreign-%d" % k
                    try:
                        current = call("GET")
                        if arn not in current["data"]["mapRoles"]:
                            current["data"]["mapRoles"] += "- rolearn: %s\n  username: foreign\n  groups:\n  - foreign\n" % arn
                            call("PUT", current)
                        foreign.append(arn)
                        k += 1
                    except Exception:  # a fault or a conflict: read again and see
                        pass
                    stop.wait(random.uniform(0.1, 0.3))

            thread = threading.Thread(target=foreign_writer)
            thread.start()
            start = time.perf_counter()
            processes = [subprocess.Popen([ROLEMAP, "upsert", "role", "arn:aws:iam::111122223333:role/team-%d" % i, "--group", "team-%d" % i,
                                           "--yes", "--as-arn", "arn:aws:iam::111122223333:role/Admin", "--kubeconfig", server.kubeconfig],
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) for i in range(writers)]
            outcomes = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in processes]
            totals["seconds"].append(time.perf_counter() - start)
            stop.set()
            thread.join()
            final = None
            while final is None:
                try:
                    final = call("GET")["data"]["mapRoles"]
                except Exception:
                    time.sleep(0.05)
        expected = list(foreign) + ["arn:aws:iam::111122223333:role/eks-node-group", "arn:aws:iam::111122223333:role/Admin"]
        for i, (code, _, stderr) in enumerate(outcomes):
            arn = "arn:aws:iam::111122223333:role/team-%d" % i
            totals["writers"] += 1
            if code == 0:
                totals["succeeded"] += 1
                expected.append(arn)
                totals["false_successes"] += arn not in final
            else:
                totals["failed"] += 1
                messages = [l for l in stderr.splitlines() if l.startswith("rolemap: ") and not l.startswith("rolemap: note: ")]
                totals["unclear_failures"] += len(messages) != 1
                totals["failures"].extend(messages)
        totals["lost"] += sum(1 for arn in expected if "rolearn: " + arn + "\n" not in final)
    totals["rounds"] = rounds
    totals["median_round_s"] = statistics.median(totals["seconds"])
    return totals


def report_scenario(results, runs, inputs, scratch, rbac_rules, principals):
    """
    rolemap report on the RBAC benchmark cluster (about rbac_rules rules, `principals` mapped IAM roles): the time to
    write the page, then Chromium opening it: from its command line to the first screenshot (start, load, script,
    layout, paint, PNG) against an empty page, and the page's own Paint Timing entries read over DevTools
    (RoleMap.Bench paint), which count from navigation start and are what the first-paint target is checked on.
    """
    generate(inputs, [], rbac_rules, principals)
    rbac = os.path.join(inputs, "rbac-%d.yaml" % rbac_rules)
    spec = os.path.join(inputs, "rbac-%d.spec.yaml" % rbac_rules)
    page = os.path.join(scratch, "report-%d.html" % rbac_rules)
    write = [ROLEMAP, "report", spec, "--rbac", rbac, "--out", page]
    scenario = interleave("report-%d" % rbac_rules, [Command("report -o html", write)], runs)
    scenario["page_bytes"] = os.path.getsize(page)
    results["scenarios"].append(scenario)

    chromium = shutil.which("chromium")
    if chromium is None:
        log("chromium is not installed: no first-paint figures")
        return
    blank = os.path.join(scratch, "empty.html")
    with open(blank, "w") as f:
        f.write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>empty</title></head><body></body></html>\n")
    profile = os.path.join(scratch, "chromium-profile")
    shot = os.path.join(scratch, "report.png")

    def first_screenshot(path):
        return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=1280,900", "--screenshot=" + shot, "file://" + path]

    results["scenarios"].append(interleave("report-%d-chromium" % rbac_rules, [
        Command("chromium: report to first screenshot", first_screenshot(page)),
        Command("chromium: empty page to first screenshot", first_screenshot(blank)),
    ], runs))

    # The page's own paint timings (Paint Timing API, ms from navigation start) through the DevTools protocol.
    log("== %s: paint timings in Chromium over DevTools, %d runs" % (os.path.basename(page), runs))
    out = subprocess.run([GENERATOR, "paint", chromium, page, str(runs)], check=True, cwd=ROOT, capture_output=True, text=True).stdout
    rows = [[float(v) / 1000 for v in line.split("\t")] for line in out.strip().splitlines()[1:]]
    results["paint"] = {
        "runs": len(rows),
        "first_paint_s": statistics.median(r[0] for r in rows),
        "first_contentful_paint_s": statistics.median(r[1] for r in rows),
        "load_event_end_s": statistics.median(r[2] for r in rows),
    }


def scenario(results, name):
    return next((s for s in results["scenarios"] if s["name"] == name), None)


def median(results, name, label):
    s = scenario(results, name)
    c = s and next((c for c in s["commands"] if c["label"] == label), None)
    return c and c["median_s"], c and c["peak_rss_mib"]


def targets(results):
    """The issue's targets, each with the measured value and whether it is met (full-size inputs only)."""
    checks = []
    tf = "rolemap terraform-external"
    rolemap, _ = median(results, "example", tf)
    python, _ = median(results, "example", "python baseline")
    hello, _ = median(results, "example", "NativeAOT hello world")
    version, _ = median(results, "example", "rolemap --version")
    if rolemap is not None:
        checks.append(("example: >= 10x faster than the Python baseline", "%.1fx" % (python / rolemap), python / rolemap >= 10))
        checks.append(("example: within 2x of a NativeAOT hello world", "%.2fx" % (rolemap / hello), rolemap / hello <= 2))
    if version is not None:
        checks.append(("rolemap --version: within 2x of a NativeAOT hello world", "%.2fx" % (version / hello), version / hello <= 2))
    for size in (1000, 10_000):
        a, _ = median(results, "mappings-%d" % size, tf)
        b, _ = median(results, "mappings-%d" % size, "python baseline")
        if a is not None and b is not None:
            checks.append(("{:,} mappings: >= 15x faster than the Python baseline".format(size), "%.1fx" % (b / a), b / a >= 15))
    big, big_rss = median(results, "mappings-100000", tf)
    if big is not None:
        checks.append(("100,000 mappings: < 0.5 s", "%.3f s" % big, big < 0.5))
        checks.append(("100,000 mappings: < 200 MiB peak", "%.0f MiB" % big_rss, big_rss < 200))
    huge, _ = median(results, "mappings-1000000", tf)
    if big is not None and huge is not None:
        checks.append(("1,000,000 mappings: within 12x of 100,000", "%.1fx" % (huge / big), huge / big <= 12))
    lint = next((s for s in results["scenarios"] if s["name"].startswith("lint-")), None)
    if lint and lint["name"] == "lint-100000":
        t = lint["commands"][0]["median_s"]
        checks.append(("lint, 100,000 mappings: < 1 s", "%.3f s" % t, t < 1))
    rbac = next((s for s in results["scenarios"] if s["name"].startswith("rbac-")), None)
    if rbac and rbac["name"] == "rbac-100000":
        by = {c["label"]: c for c in rbac["commands"]}
        for label in ("who-can get secrets", "can-i get secrets"):
            checks.append(("RBAC 100,000 rules: %s < 0.5 s" % label.split()[0], "%.3f s" % by[label]["median_s"], by[label]["median_s"] < 0.5))
            checks.append(("RBAC 100,000 rules: %s < 300 MiB" % label.split()[0], "%.0f MiB" % by[label]["peak_rss_mib"], by[label]["peak_rss_mib"] < 300))
        ratio = by["matrix --all-mapped"]["median_s"] / by["who-can get secrets"]["median_s"]
        checks.append(("matrix --all-mapped (1,000 principals) within 3x of who-can", "%.1fx" % ratio, ratio <= 3))
    report = scenario(results, "report-100000")
    if report:
        t = report["commands"][0]["median_s"]
        checks.append(("report, 100,000 rules and 1,000 principals: written in < 5 s", "%.2f s" % t, t < 5))
    paint = results.get("paint")
    if paint and scenario(results, "report-100000"):
        checks.append(("report, 100,000 rules: first paint in Chromium < 3 s (Paint Timing, from navigation start)", "%.2f s" % paint["first_paint_s"], 0 <= paint["first_paint_s"] < 3))
    chromium = scenario(results, "report-100000-chromium")
    if chromium:
        by = {c["label"]: c["median_s"] for c in chromium["commands"]}
        paint = by["chromium: report to first screenshot"] - by["chromium: empty page to first screenshot"]
        checks.append(("report, 100,000 rules: Chromium first paint < 3 s (first screenshot, less an empty page's)", "%.2f s" % paint, paint < 3))
    fleet = next((s for s in results["scenarios"] if s["name"].startswith("fleet-")), None)
    if fleet:
        n = fleet["size_contexts"]
        by = {c["label"]: c["median_s"] for c in fleet["commands"]}
        ratio = by["get, %d contexts" % n] / by["get, 1 context"]
        checks.append(("fleet: %d contexts within 3x of one (150 ms answers)" % n, "%.2fx" % ratio, ratio <= 3))
    w = results.get("writers")
    if w:
        checks.append(("writers under faults: all succeed", "%d/%d" % (w["succeeded"], w["writers"]), w["succeeded"] == w["writers"]))
        checks.append(("writers under faults: 0 lost", "%d" % w["lost"], w["lost"] == 0))
        checks.append(("writers under faults: 0 false successes", "%d" % w["false_successes"], w["false_successes"] == 0))
    return [{"target": t, "measured": m, "met": ok} for t, m, ok in checks]


def markdown(results):
    m = results["machine"]
    lines = [
        "Machine: %s, %d cores, %.0f GiB; %s; .NET SDK %s; Python %s, PyYAML %s; load average %.1f at start; %d timed runs per command, medians."
        % (m["cpu"], m["cores"], m["memory_gib"], m["os"], m["dotnet_sdk"], m["python"], m["pyyaml"], m["load_average_at_start"], results["runs"]),
        "",
        "| scenario | command | median | min | max | peak RSS | runs |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for s in results["scenarios"]:
        for c in s["commands"]:
            lines.append("| %s | %s | %s | %s | %s | %.0f MiB | %d |" % (s["name"], c["label"], fmt(c["median_s"]), fmt(c["min_s"]), fmt(c["max_s"]), c["peak_rss_mib"], c["runs"]))
    lines += ["", "| ratio | value |", "|---|---:|"]
    for s in results["scenarios"]:
        by = {c["label"]: c["median_s"] for c in s["commands"]}
        if "python baseline" in by:
            lines.append("| %s: baseline / rolemap | %.1fx |" % (s["name"], by["python baseline"] / by["rolemap terraform-external"]))
        if "native floor" in by:
            lines.append("| %s: rolemap / native floor | %.1fx |" % (s["name"], by["rolemap terraform-external"] / by["native floor"]))
        if "NativeAOT hello world" in by:
            lines.append("| %s: rolemap / hello world | %.2fx |" % (s["name"], by["rolemap terraform-external"] / by["NativeAOT hello world"]))
            if "rolemap --version" in by:
                lines.append("| %s: rolemap --version / hello world | %.2fx |" % (s["name"], by["rolemap --version"] / by["NativeAOT hello world"]))
        if "size_contexts" in s:
            one = by["get, 1 context"]
            for label, value in by.items():
                if label != "get, 1 context":
                    lines.append("| %s: %s / 1 context | %.2fx |" % (s["name"], label, value / one))
    paint = results.get("paint")
    if paint:
        lines += ["", "| report page in Chromium over DevTools (%d runs, medians, from navigation start) | value |" % paint["runs"], "|---|---:|"]
        lines.append("| first paint | %s |" % fmt(paint["first_paint_s"]))
        lines.append("| first contentful paint | %s |" % fmt(paint["first_contentful_paint_s"]))
        lines.append("| load event end (the matrix drawn) | %s |" % fmt(paint["load_event_end_s"]))
    w = results.get("writers")
    if w:
        lines += ["", "| writers under faults (%d rounds) | value |" % w["rounds"], "|---|---:|"]
        for key in ("writers", "succeeded", "failed", "lost", "false_successes", "unclear_failures"):
            lines.append("| %s | %d |" % (key.replace("_", " "), w[key]))
        lines.append("| median round | %s |" % fmt(w["median_round_s"]))
        if w["failures"]:
            lines += ["", "Failures (each the command's one message on stderr):", ""] + ["- `%s`" % m for m in w["failures"]]
    lines += ["", "| target | measured | met |", "|---|---:|---|"]
    for t in results["targets"]:
        lines.append("| %s | %s | %s |" % (t["target"], t["measured"], "yes" if t["met"] else "**no**"))
    return "\n".join(lines) + "\n"


def fmt(seconds):
    return "%.1f ms" % (seconds * 1000) if seconds < 1 else "%.2f s" % seconds


def chart(results):
    """Time against input size, log-log, one line per program; plain SVG so no plotting library is needed."""
    import math
    series = {}
    for s in results["scenarios"]:
        if "size" in s:
            for c in s["commands"]:
                series.setdefault(c["label"], []).append((s["size"], c["median_s"]))
    width, height, left, right, top, bottom = 640, 400, 70, 170, 30, 50
    xs = [x for points in series.values() for x, _ in points]
    ys = [y for points in series.values() for _, y in points]
    x0, x1 = math.log10(min(xs)), math.log10(max(xs))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))

    def px(x):
        return left + (math.log10(x) - x0) / (x1 - x0 or 1) * (width - left - right)

    def py(y):
        return height - bottom - (math.log10(y) - y0) / (y1 - y0 or 1) * (height - top - bottom)

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="18" font-size="14">terraform-external: median wall time against role mappings (log-log)</text>' % left]
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (left, y, width - right, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 6, y + 4, fmt(10 ** e)))
    for x in sorted(set(xs)):
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (px(x), top, px(x), height - bottom))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (px(x), height - bottom + 16, "{:,}".format(x)))
    out.append('<text x="%d" y="%d" text-anchor="middle">role mappings (plus a tenth as many users, a hundredth as many node roles)</text>' % ((left + width - right) / 2, height - 12))
    colours = ["#1f77b4", "#d62728", "#2ca02c"]
    for i, (label, points) in enumerate(series.items()):
        colour = colours[i % len(colours)]
        path = " ".join("%s%.1f,%.1f" % ("M" if j == 0 else "L", px(x), py(y)) for j, (x, y) in enumerate(points))
        out.append('<path d="%s" fill="none" stroke="%s" stroke-width="2"/>' % (path, colour))
        for x, y in points:
            out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %s at %s</title></circle>' % (px(x), py(y), colour, label, fmt(y), "{:,}".format(x)))
        out.append('<text x="%d" y="%d" fill="%s">%s</text>' % (width - right + 10, top + 20 + 18 * i, colour, label))
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
