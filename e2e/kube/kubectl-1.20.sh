#!/usr/bin/env bash
# Fetches kubectl v1.20 from Debian's archive (package kubernetes-client of Debian 12, 1.20.2) without installing
# it, into ${TRO_E2E_CACHE:-$HOME/.cache/token-rotation-e2e}/kubectl-1.20/kubectl, once. Prints that path as its
# last stdout line; exits 1 (with the reason on stderr) where apt cannot download the package.
set -euo pipefail
out="${TRO_E2E_CACHE:-$HOME/.cache/token-rotation-e2e}/kubectl-1.20"
if [[ -x "$out/kubectl" ]]; then
  echo "$out/kubectl"
  exit 0
fi
command -v apt-get >/dev/null || { echo "kubectl-1.20.sh: no apt-get here" >&2; exit 1; }
w="$(mktemp -d)"
trap 'rm -rf "$w"' EXIT
(cd "$w" && apt-get download kubernetes-client >/dev/null 2>"$w/apt.err") \
  || { echo "kubectl-1.20.sh: apt-get download kubernetes-client failed: $(tail -1 "$w/apt.err")" >&2; exit 1; }
dpkg -x "$w"/kubernetes-client_*.deb "$w/x"
version="$("$w/x/usr/bin/kubectl" version --client --short 2>/dev/null || true)"
case "$version" in
  *v1.20.*) ;;
  *) echo "kubectl-1.20.sh: the archive's kubernetes-client is not 1.20 ($version)" >&2; exit 1 ;;
esac
mkdir -p "$out"
mv "$w/x/usr/bin/kubectl" "$out/kubectl"
echo "$out/kubectl"
