#!/usr/bin/env bash
# Installs exactly the versions package-lock.json pins: `npm ci [args]` (e.g. --omit=dev).
# Used by .ci/run and deploy/Dockerfile.
#
# Why not plain `npm ci`: the registry this project's machines reach serves no packages for
# other platforms (@biomejs/cli-darwin-arm64 answers 404), so a lockfile written here lacks the
# optional platform binaries of biome, esbuild & co. `npm ci` then refuses the lockfile, listing
# them as "Missing: <name>@[version] from lock file" — here and on the public registry alike.
# When every missing package is such an optional dependency of a locked package, this falls
# back to `npm install --no-save`: same locked versions, package-lock.json left untouched.
# Any other mismatch (a dependency added to package.json without updating the lockfile, an
# "Invalid:" version) still fails.
set -euo pipefail

log=$(mktemp)
trap 'rm -f "$log"' EXIT

if npm ci "$@" 2>&1 | tee "$log"; then
  exit 0
fi

drift() {
  echo "package-lock.json does not match package.json ($1): run \`npm install\` and commit the lockfile." >&2
  exit 1
}

grep -q 'can only install packages when your package.json and package-lock.json' "$log" || exit 1
if grep -q 'Invalid: ' "$log"; then drift "invalid versions"; fi

mapfile -t missing < <(sed -nE 's/.*Missing: (.+)@[^@ ]* from lock file.*/\1/p' "$log" | sort -u)
if [[ ${#missing[@]} -eq 0 ]]; then drift "unknown reason"; fi

# shellcheck disable=SC2016 # JavaScript, not shell
if ! node -e '
  const lock = JSON.parse(require("node:fs").readFileSync("package-lock.json", "utf8"));
  const optional = new Set();
  for (const [location, entry] of Object.entries(lock.packages ?? {})) {
    if (location === "") continue; // the project itself: a new optional dependency is drift
    for (const name of Object.keys(entry.optionalDependencies ?? {})) optional.add(name);
  }
  const others = process.argv.slice(1).filter((name) => !optional.has(name));
  if (others.length > 0) {
    console.error(`not optional platform packages: ${others.join(", ")}`);
    process.exit(1);
  }
' "${missing[@]}"; then
  drift "missing packages"
fi

echo "npm ci: only optional platform packages (${#missing[@]}) are missing from the lockfile;" \
  "installing the locked versions with \`npm install --no-save\`." >&2
npm install --no-save "$@"
