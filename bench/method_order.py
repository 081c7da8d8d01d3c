#!/usr/bin/env python3
"""The order of rolemap's managed methods in its native image (src/RoleMap.Cli/Native/method-order.txt).

The NativeAOT compiler places the methods the order file names first, in that order (IlcOrderFile in
RoleMap.Cli.csproj), and the rest after them as it would anyway. A short command runs only a few hundred of the image's
tens of thousands of methods, but the compiler's own order scatters them over all 9 MB of managed code, so each one
costs its own page fault; listed first they share a few pages (docs/benchmarks.md, issue 17).

  python3 bench/method_order.py record [--binary artifacts/rolemap/rolemap]
      runs the published binary under valgrind's callgrind for each scenario below, maps every instruction it executed
      to the method around it (the symbols of rolemap.dbg) and writes the order file: the bundled example's methods
      first (the Terraform data source, whose start-up issue 17 measures), then what each further scenario adds.
  python3 bench/method_order.py check [--binary artifacts/rolemap/rolemap]
      checks a published binary against the order file: most of the names still exist (renames make it stale: record
      again), and the compiler laid them out in the file's order at the start of the managed code. .ci/run runs it.

Needs valgrind (record only), nm and readelf (binutils).
"""
import argparse
import bisect
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORDER_FILE = os.path.join(REPO, "src", "RoleMap.Cli", "Native", "method-order.txt")
DEFAULT_BINARY = os.path.join(REPO, "artifacts", "rolemap", "rolemap")

OPS_DEV = "examples/ops-dev"
DEV = "arn:aws:sts::111122223333:assumed-role/dev/bob"
EKS_ACCESS = ["--aws-auth", "examples/eks-access/aws-auth.yaml", "--access-entries", "examples/eks-access/access-entries.json",
              "--rbac", "examples/eks-access/rbac"]
# (what it is, arguments, standard input). The first is the one whose start-up the benchmark's example measures.
SCENARIOS = [
    ("the bundled example through the Terraform data source", ["terraform-external"], "bench/example.query.json"),
    ("the version", ["--version"], None),
    ("generate", ["generate", OPS_DEV + "/spec.yaml"], None),
    ("generate for Terraform", ["generate", OPS_DEV + "/spec.yaml", "--style", "terraform", "--data-only"], None),
    ("lint with RBAC", ["lint", OPS_DEV + "/spec.yaml", "--rbac", OPS_DEV + "/rbac"], None),
    ("resolve", ["resolve", DEV, "--spec", OPS_DEV + "/spec.yaml"], None),
    ("can-i", ["can-i", "list", "pods", "-A", "--as-arn", DEV, "--spec", OPS_DEV + "/spec.yaml", "--rbac", OPS_DEV + "/rbac"], None),
    ("who-can", ["who-can", "update", "pods", "-n", "default", "--spec", OPS_DEV + "/spec.yaml", "--rbac", OPS_DEV + "/rbac"], None),
    ("help", ["--help"], None),
    ("explain with access entries", ["explain", "arn:aws:sts::111122223333:assumed-role/auditors/bo", "get", "pods", "-n", "dev-web"] + EKS_ACCESS, None),
    ("matrix", ["matrix", "--all-mapped", "-n", "payments", "--resource", "secrets"] + EKS_ACCESS, None),
    ("access-entries plan", ["access-entries", "plan", "--aws-auth", "examples/access-entries/aws-auth.yaml",
                             "--iam-arns", "examples/access-entries/iam-roles.json", "--iam-arns", "examples/access-entries/iam-users.json",
                             "--access-entries", "examples/access-entries/access-entries.json", "--cluster-name", "prod"], None),
]

# A rename or a new compiler changes some names; past this share missing, the order no longer covers start-up.
LEAST_PRESENT = 0.8
# The listed methods must come first and in order (a few may legitimately move: methods the compiler folds into one).
LEAST_IN_ORDER = 0.95

HEADER = """\
# The managed methods rolemap's common commands run, in the order the NativeAOT compiler is to place them
# (IlcOrderFile in RoleMap.Cli.csproj): the bundled example through terraform-external first, then what --version,
# generate, lint, resolve, can-i, who-can, --help, explain, matrix and access-entries plan add. Written by
# `python3 bench/method_order.py record` from callgrind runs of the published binary; .ci/run checks it with
# `python3 bench/method_order.py check`. The compiler ignores lines that name no method (these comments, names that no
# longer exist). docs/benchmarks.md, issue 17.
"""


def fail(message):
    print("method_order: " + message, file=sys.stderr)
    sys.exit(2)


def managed_code_range(binary):
    out = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.replace("[ ", "[").split()
        if "__managedcode" in fields:
            i = fields.index("__managedcode")
            start, size = int(fields[i + 2], 16), int(fields[i + 4], 16)
            return start, start + size
    fail(binary + ": no __managedcode section (not a NativeAOT image?)")


def managed_methods(binary):
    """(address, name) of every method in the managed code, sorted by address, from the symbols in binary.dbg."""
    symbols = binary + ".dbg" if os.path.exists(binary + ".dbg") else binary
    low, high = managed_code_range(binary)
    out = subprocess.run(["nm", "-n", "--defined-only", symbols], capture_output=True, text=True, check=True).stdout
    methods = []
    for line in out.splitlines():
        fields = line.split()
        # Section bounds (__start___managedcode) are labels, not methods.
        if len(fields) == 3 and fields[1] in "tT" and not fields[2].startswith(("__start_", "__stop_")):
            address = int(fields[0], 16)
            if low <= address < high:
                methods.append((address, fields[2]))
    if not methods:
        fail(symbols + ": no symbols for the managed code")
    return methods


def executed_addresses(callgrind_out):
    with open(callgrind_out) as f:
        for line in f:
            if line.startswith("0x"):
                yield int(line.split(None, 1)[0], 16)


def record(binary):
    if shutil.which("valgrind") is None:
        fail("record needs valgrind (apt-get install valgrind)")
    methods = managed_methods(binary)
    addresses = [a for a, _ in methods]
    order, seen = [], set()
    with tempfile.TemporaryDirectory() as scratch:
        # valgrind cannot read the compiler's separate debug file: it runs a copy without it, symbols come from nm.
        copy = os.path.join(scratch, "rolemap")
        shutil.copy2(binary, copy)
        for i, (what, args, stdin) in enumerate(SCENARIOS):
            out = os.path.join(scratch, "callgrind.%d" % i)
            with open(os.path.join(REPO, stdin) if stdin else os.devnull, "rb") as input_stream:
                run = subprocess.run(
                    ["valgrind", "--tool=callgrind", "--dump-instr=yes", "--compress-pos=no", "--compress-strings=no",
                     "--callgrind-out-file=" + out, copy] + args,
                    cwd=REPO, stdin=input_stream, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if run.returncode not in (0, 1) or not os.path.exists(out):
                fail("%s (rolemap %s) failed under valgrind (exit %d):\n%s" % (what, " ".join(args), run.returncode, run.stderr.decode(errors="replace")[-2000:]))
            added = set()
            for address in executed_addresses(out):
                j = bisect.bisect_right(addresses, address) - 1
                if j >= 0 and methods[j][1] not in seen:
                    added.add(j)
                    seen.add(methods[j][1])
            # Within a scenario, the compiler's own relative order (by address): stable from one recording to the next.
            order.extend(methods[j][1] for j in sorted(added))
            print("%-58s %5d methods (%d in all)" % (what, len(added), len(order)))
    with open(ORDER_FILE, "w") as f:
        f.write(HEADER)
        for name in order:
            f.write(name + "\n")
    print("wrote %s" % os.path.relpath(ORDER_FILE, REPO))


def read_order():
    with open(ORDER_FILE) as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def check(binary):
    names = read_order()
    if not names:
        fail(ORDER_FILE + " lists no methods")
    methods = managed_methods(binary)
    address_of = {name: address for address, name in methods}
    present = [address_of[n] for n in names if n in address_of]
    share = len(present) / len(names)
    in_order = sum(1 for a, b in zip(present, present[1:]) if a < b) / max(1, len(present) - 1)
    # The listed methods take the lowest addresses of the managed code. A few may sit elsewhere: a method whose body
    # the compiler shares with another (identical code) goes by that one's name in one build and its own in the next.
    rank = {address: i for i, (address, _) in enumerate(methods)}
    up_front = sum(1 for a in present if rank[a] < len(present) * 1.1) / max(1, len(present))
    print("method order: %d of %d listed methods in the image (%.0f%%), %.1f%% of them in order, %.1f%% at the start of the managed code"
          % (len(present), len(names), 100 * share, 100 * in_order, 100 * up_front))
    problems = []
    if share < LEAST_PRESENT:
        problems.append("the order file is stale: %.0f%% of its methods no longer exist (at least %.0f%% must); record it again: python3 bench/method_order.py record"
                        % (100 * (1 - share), 100 * LEAST_PRESENT))
    if in_order < LEAST_IN_ORDER or up_front < LEAST_IN_ORDER:
        problems.append("the image does not follow the order file (is IlcOrderFile set in src/RoleMap.Cli/RoleMap.Cli.csproj?)")
    if problems:
        fail("; ".join(problems))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["record", "check"])
    parser.add_argument("--binary", default=DEFAULT_BINARY, help="the published native rolemap (default: artifacts/rolemap/rolemap)")
    options = parser.parse_args()
    if not os.path.exists(options.binary):
        fail(options.binary + ": not found (dotnet publish src/RoleMap.Cli -c Release -r linux-x64 -o artifacts/rolemap)")
    (record if options.action == "record" else check)(options.binary)


if __name__ == "__main__":
    main()
