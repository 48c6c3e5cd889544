#!/usr/bin/env bash
# Synthesizes the CDK stack (infra/) offline, as `cdk deploy` would before deploying, and fails when it does not.
# Needs the .NET SDK and Node/npm; installs the pinned AWS CDK CLI (infra/package-lock.json) with `npm ci` on first
# use. The Lambda package is $SWF_LAMBDA_PACKAGE, or artifacts/lambda (scripts/package.sh makes it). Extra
# arguments go to `cdk synth` (say, -c domains=orders,billing). Reaches no AWS endpoint: no credentials are
# visible to the CLI (so it asks STS for no default account), no lookups, no notices, no version check. The template
# is kept as artifacts/synth/SwfServerless.template.json, which scripts/cost.py prices.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

package=${SWF_LAMBDA_PACKAGE:-$root/artifacts/lambda}
case "$package" in /*) ;; *) package="$root/$package" ;; esac
if [ ! -f "$package/bootstrap" ]; then
    echo "synth: no Lambda package at $package (no bootstrap there): run scripts/package.sh first, or set SWF_LAMBDA_PACKAGE" >&2
    exit 1
fi

cd infra
wanted=$(node -p "require('./package.json').devDependencies['aws-cdk']")
installed=$(node -p "try { require('./node_modules/aws-cdk/package.json').version } catch { '' }")
if [ "$installed" != "$wanted" ]; then
    echo "== npm ci (aws-cdk $wanted)"
    npm ci --no-audit --no-fund --loglevel=error
fi

echo "== cdk synth (package $package)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE -u AWS_DEFAULT_PROFILE \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
    CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true \
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="$(node -p 'process.versions.node.split(".")[0]')" \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    ./node_modules/.bin/cdk synth --quiet --no-notices --no-version-reporting --no-lookups --output "$out" \
    -c domains=example -c "lambdaPackage=$package" "$@"

template="$out/SwfServerless.template.json"
[ -s "$template" ] || { echo "synth: no template was written" >&2; exit 1; }
mkdir -p "$root/artifacts/synth"
cp "$template" "$root/artifacts/synth/SwfServerless.template.json"
node -e '
const t = require(process.argv[1]);
console.log(`synth: ${Object.keys(t.Resources).length} resources, ${Object.keys(t.Outputs || {}).length} outputs`);
' "$template"
