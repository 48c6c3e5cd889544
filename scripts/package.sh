#!/usr/bin/env bash
# Packages the Lambda custom runtime: publishes src/SwfServerless.Lambda with Native AOT and copies the single
# `bootstrap` executable into
#   artifacts/lambda/      linux-arm64: what the stack deploys (provided.al2023 on Graviton, 20 % cheaper per GB-s
#                          than x86_64; docs/deploy.md "What it costs at rest"), the code of its three functions
#                          (handler strings "api", "stream", "timer");
#   artifacts/lambda-x64/  linux-x64: the same code for this machine, which the benchmarks run as a Lambda would
#                          (--scenario coldstart, memory).
# Works on a fresh Debian x64 machine: installs what Native AOT links with (clang, zlib1g-dev) and the arm64 cross
# toolchain (binutils and gcc for aarch64-linux-gnu, glibc's and zlib's arm64 headers) when missing. Prints the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
command -v clang >/dev/null 2>&1 || missing+=(clang)
command -v llvm-objcopy >/dev/null 2>&1 || missing+=(llvm)
installed zlib1g-dev || missing+=(zlib1g-dev)
for p in binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross zlib1g-dev:arm64; do
    installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]} (Native AOT needs them)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    # zlib1g-dev:arm64 comes from the arm64 architecture of the same Debian archive.
    dpkg --print-foreign-architectures | grep -qx arm64 || $sudo dpkg --add-architecture arm64
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

publish() { # publish RID OUT OBJDUMP
    local rid=$1 out=$2 objdump=$3
    echo "== dotnet publish src/SwfServerless.Lambda -c Release -r $rid (Native AOT)"
    dotnet publish src/SwfServerless.Lambda -c Release -r "$rid" -nologo -v q
    rm -rf "$out"
    mkdir -p "$out"
    cp "src/SwfServerless.Lambda/bin/Release/net10.0/$rid/publish/bootstrap" "$out/bootstrap"
    chmod 755 "$out/bootstrap"
    # provided.al2023 has glibc 2.34: a binary linked on a newer glibc must not need a newer symbol version.
    if command -v "$objdump" >/dev/null 2>&1; then
        needed=$("$objdump" -T "$out/bootstrap" | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -1)
        if [ "$(printf '%s\n' "$needed" GLIBC_2.34 | sort -V | tail -1)" != GLIBC_2.34 ]; then
            echo "$out/bootstrap needs $needed, newer than provided.al2023's glibc 2.34" >&2
            exit 1
        fi
        echo "$out/bootstrap needs glibc ${needed#GLIBC_} at most (provided.al2023: 2.34)"
    fi
    bytes=$(stat -c %s "$out/bootstrap")
    echo "$out/bootstrap: $bytes bytes ($((bytes / 1024 / 1024)) MiB)"
}

publish linux-arm64 artifacts/lambda aarch64-linux-gnu-objdump
publish linux-x64 artifacts/lambda-x64 objdump
