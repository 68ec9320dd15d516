#!/usr/bin/env bash
# Installs planner under a prefix (docs: README.md, "Install"):
#   PREFIX/bin/planner
#   PREFIX/share/planner/catalogs/            the shipped catalog (found relative to the executable)
#   PREFIX/share/man/man1/planner.1 ...        the man pages (from swift-argument-parser's generate-manual)
#   PREFIX/share/bash-completion/completions/planner, PREFIX/share/zsh/site-functions/_planner,
#   PREFIX/share/fish/vendor_completions.d/planner.fish
# Usage: scripts/install.sh PREFIX BINARY [MANUAL_DIR]   (make install passes all three)
set -euo pipefail
prefix=${1:?usage: scripts/install.sh PREFIX BINARY [MANUAL_DIR]}
binary=${2:?usage: scripts/install.sh PREFIX BINARY [MANUAL_DIR]}
manuals=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)

install -d "$prefix/bin" "$prefix/share/planner/catalogs" "$prefix/share/man/man1" \
    "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
install -m 755 "$binary" "$prefix/bin/planner"
# The whole catalog folder: YAML entries plus the measurements calibrate reads.
rm -rf "$prefix/share/planner/catalogs"
cp -R "$root/catalogs" "$prefix/share/planner/catalogs"
chmod -R a+rX "$prefix/share/planner/catalogs"
if [ -n "$manuals" ]; then
    found=0
    for page in "$manuals"/*.1; do
        [ -e "$page" ] || continue
        install -m 644 "$page" "$prefix/share/man/man1/"
        found=1
    done
    [ "$found" = 1 ] || { echo "install.sh: no man pages in $manuals" >&2; exit 1; }
fi
"$prefix/bin/planner" --generate-completion-script bash > "$prefix/share/bash-completion/completions/planner"
"$prefix/bin/planner" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_planner"
"$prefix/bin/planner" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/planner.fish"
echo "Installed planner in $prefix/bin (catalogs in $prefix/share/planner/catalogs)"
