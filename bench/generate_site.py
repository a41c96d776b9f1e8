#!/usr/bin/env python3
"""Writes a synthetic clause site for benchmarks.

usage: bench/generate_site.py OUT_DIR [DOCUMENTS] [VERSIONS] [LANGUAGES]

Each document gets VERSIONS versions in each of LANGUAGES languages (en, zh,
de, fr, ...), with a dozen sections, a table, a footnote and cross-links, so
pages are about the size of a real policy. Output is deterministic.
"""
import os
import sys

LANGS = ["en", "zh", "de", "fr", "es", "ja"]
NAMES = {"en": "English", "zh": "中文", "de": "Deutsch", "fr": "Français", "es": "Español", "ja": "日本語"}


def body(doc: int, version: int, docs: int) -> str:
    other = (doc + 1) % docs
    parts = []
    for s in range(12):
        parts.append(f"## Section {s + 1}: obligations of the parties {{#s{s + 1}}}\n")
        parts.append(
            f"Clause {s + 1} of version {version}. The provider shall process personal data only on "
            "documented instructions from the customer, including with regard to transfers of "
            "personal data to a third country, unless required to do so by applicable law.[^n]\n"
        )
        parts.append(f"- Item one of section {s + 1}\n- Item two, see [document {other}](/doc{other}/#s2)\n")
    parts.append("| Processor | Purpose | Location |\n|---|---|---|\n| Hosting | Running | EU |\n| Email | Sending | US |\n")
    parts.append("[^n]: A footnote.\n")
    return "\n".join(parts)


def main() -> None:
    out = sys.argv[1]
    docs = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    versions = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    langs = LANGS[: int(sys.argv[4]) if len(sys.argv) > 4 else 2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.toml"), "w", encoding="utf-8") as f:
        f.write('base_url = "https://legal.bench.example/"\ntitle = "Bench"\ndefault_language = "en"\n')
        for lang in langs:
            f.write(f'\n[languages.{lang}]\nname = "{NAMES[lang]}"\n')
    for d in range(docs):
        folder = os.path.join(out, "content", f"doc{d}")
        os.makedirs(folder, exist_ok=True)
        for v in range(versions):
            for lang in langs:
                with open(os.path.join(folder, f"{v + 1}.{lang}.md"), "w", encoding="utf-8") as f:
                    f.write(
                        f'---\ntitle: "Document {d}"\neffective_date: {2020 + v}-01-01\n'
                        f'version: "{v + 1}"\nlanguage: {lang}\nchanges: "Revision {v + 1}"\n---\n\n'
                    )
                    f.write(body(d, v + 1, docs))


if __name__ == "__main__":
    main()
