#!/usr/bin/env bash
# Packages the Lambda custom runtime (provided.al2023, x86_64): publishes src/SwfServerless.Lambda with Native AOT
# and copies the single `bootstrap` executable into artifacts/lambda/, the code of the stack's three functions
# (handler strings "api", "stream", "timer"). Works on a fresh Debian machine: installs what Native AOT links
# with (clang, zlib1g-dev) when it is missing. Prints the binary's size.
set -euo pipefail
cd "$(dirname "$0")/.."

# Native AOT links with clang (the platform linker driver) against zlib.
missing=()
command -v clang >/dev/null 2>&1 || missing+=(clang)
dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q "install ok installed" || missing+=(zlib1g-dev)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]} (Native AOT needs them)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

echo "== dotnet publish src/SwfServerless.Lambda -c Release -r linux-x64 (Native AOT)"
dotnet publish src/SwfServerless.Lambda -c Release -r linux-x64 -nologo -v q

out=artifacts/lambda
rm -rf "$out"
mkdir -p "$out"
cp src/SwfServerless.Lambda/bin/Release/net10.0/linux-x64/publish/bootstrap "$out/bootstrap"
chmod 755 "$out/bootstrap"
# provided.al2023 has glibc 2.34: a binary linked on a newer glibc must not need a newer symbol version.
if command -v objdump >/dev/null 2>&1; then
    needed=$(objdump -T "$out/bootstrap" | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -1)
    if [ "$(printf '%s\n' "$needed" GLIBC_2.34 | sort -V | tail -1)" != GLIBC_2.34 ]; then
        echo "$out/bootstrap needs $needed, newer than provided.al2023's glibc 2.34" >&2
        exit 1
    fi
    echo "$out/bootstrap needs glibc ${needed#GLIBC_} at most (provided.al2023: 2.34)"
fi
bytes=$(stat -c %s "$out/bootstrap")
echo "$out/bootstrap: $bytes bytes ($((bytes / 1024 / 1024)) MiB)"
