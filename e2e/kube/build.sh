#!/usr/bin/env bash
# Builds kube-apiserver and etcd from Go modules (versions pinned in go.mod) into
#   ${TRO_E2E_CACHE:-$HOME/.cache/token-rotation-e2e}/<k8s-version>/{kube-apiserver,etcd}
# once; a later run with the same sources only checks a stamp and prints the directory.
# Needs Go >= 1.24 and the Go module proxy (cold: go mod download + build).
# Prints the binary directory as its last line of stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

command -v go >/dev/null || { echo "build.sh: 'go' not found; the real-API-server tests need Go (>= 1.24)" >&2; exit 1; }

k8s_version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
etcd_version="$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
out="${TRO_E2E_CACHE:-$HOME/.cache/token-rotation-e2e}/$k8s_version"
# The stamp covers everything that goes into the binaries besides the module cache.
stamp="$(cat go.mod go.sum $(find cmd -name '*.go' | sort) | sha256sum | cut -c1-16) $(go env GOVERSION)"

if [[ -x "$out/kube-apiserver" && -x "$out/etcd" && -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$stamp" ]]; then
  echo "build.sh: cached kube-apiserver $k8s_version and etcd $etcd_version" >&2
  echo "$out"
  exit 0
fi

echo "build.sh: building kube-apiserver $k8s_version and etcd $etcd_version into $out (cold: several minutes)" >&2
mkdir -p "$out"
export GOFLAGS="${GOFLAGS:--p=2} -mod=readonly -trimpath -buildvcs=false"
export CGO_ENABLED=0
start=$SECONDS
go mod download
echo "build.sh: go mod download $((SECONDS - start))s" >&2
# -s -w: no symbol table/DWARF (smaller binaries, faster link); the version is stamped like upstream's build does.
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$k8s_version -X k8s.io/component-base/version.gitMajor=1 \
  -X k8s.io/component-base/version.gitMinor=$(echo "$k8s_version" | cut -d. -f2) -X k8s.io/component-base/version.gitTreeState=clean \
  -X k8s.io/client-go/pkg/version.gitVersion=$k8s_version"
go build -ldflags "$ldflags" -o "$out/kube-apiserver.tmp" ./cmd/kube-apiserver
go build -ldflags "-s -w" -o "$out/etcd.tmp" ./cmd/etcd
mv "$out/kube-apiserver.tmp" "$out/kube-apiserver"
mv "$out/etcd.tmp" "$out/etcd"
echo "$stamp" > "$out/.stamp"
echo "build.sh: built in $((SECONDS - start))s" >&2
echo "$out"
