#!/usr/bin/env python3
"""Writes a synthetic legal site for benchmarks, for clause or for Hugo.

usage: bench/corpus.py OUT_DIR [--docs D] [--langs L] [--versions V]
                       [--edit-rate R] [--flavor plain|hugo] [--seed S]

D documents, each in L languages (en, zh, de, fr, ja, es, it, pt, ko, nl,
taken in order) and V versions: legal-looking Markdown of 1,500 to 3,000
words (Chinese, Japanese and Korean measured in characters) with numbered
headings, paragraphs, a list with a nested item, a table, footnotes and
links to other documents. Each version after the first keeps its
predecessor's blocks and rewrites each with probability R: 1 (the default)
writes every version afresh, like a complete rewrite; 0.05 is a typical
revision.

`plain` is a clause site (config.toml, content/<doc>/<version>.<lang>.md).
`hugo` is a Hugo site with the same texts, one page per source, each page
showing the title, date, version, table of contents and body (feeds,
sitemap and taxonomies off).

The project's benchmarks use this when the shared corpus generator is not
beside the project; the output is the same for the same arguments.
"""
import argparse
import os
import random
import shutil

LANGS = ["en", "zh", "de", "fr", "ja", "es", "it", "pt", "ko", "nl"]
NAMES = {
    "en": "English", "zh": "中文", "de": "Deutsch", "fr": "Français", "ja": "日本語",
    "es": "Español", "it": "Italiano", "pt": "Português", "ko": "한국어", "nl": "Nederlands",
}
# Languages written without spaces between words: a "word" is a phrase.
NO_SPACE = {"zh", "ja"}

# Per language: who, does what, to what, why, on what condition, and a
# heading word. Phrases are combined at random into sentences.
WORDS = {
    "en": (["We", "The provider", "Each party", "You", "Our processors", "The customer"],
           ["collect", "keep", "share", "delete", "encrypt", "review"],
           ["account details", "usage records", "billing data", "support messages", "device logs"],
           ["to run the service", "to meet legal duties", "to stop abuse", "to improve features"],
           ["where the law allows", "for as long as needed", "unless agreed in writing", "without delay"],
           "Section"),
    "zh": (["我们", "服务提供方", "各方", "您", "我们的处理者", "客户"],
           ["收集", "保存", "共享", "删除", "加密", "审查"],
           ["账户信息", "使用记录", "账单数据", "支持消息", "设备日志"],
           ["以运行服务", "以履行法律义务", "以防止滥用", "以改进功能"],
           ["在法律允许的范围内", "在必要期限内", "除非另有书面约定", "不得延误"],
           "第"),
    "de": (["Wir", "Der Anbieter", "Jede Partei", "Sie", "Unsere Auftragsverarbeiter", "Der Kunde"],
           ["erheben", "speichern", "teilen", "löschen", "verschlüsseln", "prüfen"],
           ["Kontodaten", "Nutzungsprotokolle", "Abrechnungsdaten", "Supportnachrichten", "Geräteprotokolle"],
           ["für den Betrieb des Dienstes", "zur Erfüllung gesetzlicher Pflichten", "gegen Missbrauch", "für bessere Funktionen"],
           ["soweit gesetzlich zulässig", "so lange wie nötig", "sofern nicht schriftlich vereinbart", "unverzüglich"],
           "Abschnitt"),
    "fr": (["Nous", "Le prestataire", "Chaque partie", "Vous", "Nos sous-traitants", "Le client"],
           ["collectons", "conservons", "partageons", "supprimons", "chiffrons", "examinons"],
           ["les données de compte", "les journaux d'usage", "les données de facturation", "les messages d'assistance", "les journaux d'appareil"],
           ["pour fournir le service", "pour respecter la loi", "pour empêcher les abus", "pour améliorer les fonctions"],
           ["lorsque la loi le permet", "aussi longtemps que nécessaire", "sauf accord écrit", "sans délai"],
           "Article"),
    "ja": (["当社は", "提供者は", "各当事者は", "お客様は", "処理者は", "顧客は"],
           ["収集します", "保存します", "共有します", "削除します", "暗号化します", "確認します"],
           ["アカウント情報を", "利用記録を", "請求データを", "サポート連絡を", "端末ログを"],
           ["サービス提供のため", "法令遵守のため", "不正防止のため", "機能改善のため"],
           ["法令の範囲内で", "必要な期間", "書面の合意がない限り", "遅滞なく"],
           "第"),
    "es": (["Nosotros", "El proveedor", "Cada parte", "Usted", "Nuestros encargados", "El cliente"],
           ["recopilamos", "conservamos", "compartimos", "eliminamos", "ciframos", "revisamos"],
           ["datos de cuenta", "registros de uso", "datos de facturación", "mensajes de soporte", "registros del dispositivo"],
           ["para prestar el servicio", "para cumplir la ley", "para evitar abusos", "para mejorar funciones"],
           ["cuando la ley lo permita", "el tiempo necesario", "salvo acuerdo escrito", "sin demora"],
           "Sección"),
    "it": (["Noi", "Il fornitore", "Ciascuna parte", "Lei", "I nostri responsabili", "Il cliente"],
           ["raccogliamo", "conserviamo", "condividiamo", "cancelliamo", "cifriamo", "verifichiamo"],
           ["dati dell'account", "registri d'uso", "dati di fatturazione", "messaggi di assistenza", "registri del dispositivo"],
           ["per fornire il servizio", "per obblighi di legge", "per prevenire abusi", "per migliorare le funzioni"],
           ["ove la legge lo consenta", "per il tempo necessario", "salvo accordo scritto", "senza ritardo"],
           "Sezione"),
    "pt": (["Nós", "O fornecedor", "Cada parte", "Você", "Os nossos operadores", "O cliente"],
           ["coletamos", "guardamos", "partilhamos", "apagamos", "ciframos", "revemos"],
           ["dados da conta", "registos de uso", "dados de faturação", "mensagens de suporte", "registos do dispositivo"],
           ["para prestar o serviço", "para cumprir a lei", "para evitar abusos", "para melhorar funções"],
           ["quando a lei permitir", "pelo tempo necessário", "salvo acordo escrito", "sem demora"],
           "Secção"),
    "ko": (["당사는", "제공자는", "각 당사자는", "귀하는", "처리자는", "고객은"],
           ["수집합니다", "보관합니다", "공유합니다", "삭제합니다", "암호화합니다", "검토합니다"],
           ["계정 정보를", "이용 기록을", "결제 데이터를", "지원 메시지를", "기기 로그를"],
           ["서비스 제공을 위해", "법적 의무를 위해", "남용 방지를 위해", "기능 개선을 위해"],
           ["법이 허용하는 범위에서", "필요한 기간 동안", "서면 합의가 없는 한", "지체 없이"],
           "제"),
    "nl": (["Wij", "De aanbieder", "Elke partij", "U", "Onze verwerkers", "De klant"],
           ["verzamelen", "bewaren", "delen", "verwijderen", "versleutelen", "controleren"],
           ["accountgegevens", "gebruikslogboeken", "factuurgegevens", "supportberichten", "apparaatlogboeken"],
           ["om de dienst te leveren", "om aan de wet te voldoen", "om misbruik te stoppen", "om functies te verbeteren"],
           ["waar de wet het toestaat", "zo lang als nodig", "tenzij schriftelijk overeengekomen", "zonder vertraging"],
           "Artikel"),
}


def sentence(rng, lang):
    who, does, what, why, when, _ = WORDS[lang]
    parts = [rng.choice(who), rng.choice(does), rng.choice(what), rng.choice(why)]
    if rng.random() < 0.6:
        parts.append(rng.choice(when))
    if lang in NO_SPACE:
        return "".join(parts) + "。"
    if lang == "ko":
        return " ".join([parts[0], parts[2], parts[3]] + parts[4:] + [parts[1]]) + "."
    text = " ".join(parts)
    if rng.random() < 0.15:
        # A sum or a period now and then, as real clauses have.
        text += f" ({rng.randint(2, 90)} days)"
    return text + "."


def paragraph(rng, lang, lo=3, hi=6):
    sep = "" if lang in NO_SPACE else " "
    return sep.join(sentence(rng, lang) for _ in range(rng.randint(lo, hi)))


def words_in(text, lang):
    # Characters for the languages without spaces (and Korean's syllables).
    if lang in NO_SPACE or lang == "ko":
        return sum(1 for c in text if ord(c) > 0x2E80) // 2
    return len(text.split())


def fresh_block(rng, lang, kind, doc, docs, note):
    if kind == "list":
        items = [f"{i + 1}. {sentence(rng, lang)}" for i in range(rng.randint(3, 5))]
        items.insert(1, f"   - {sentence(rng, lang)}")
        return "\n".join(items)
    if kind == "table":
        _, _, what, why, when, _ = WORDS[lang]
        rows = ["| # | A | B |", "|---|---|---|"]
        for i in range(rng.randint(3, 6)):
            rows.append(f"| {i + 1} | {rng.choice(what)} | {rng.choice(why)}, {rng.choice(when)} |")
        return "\n".join(rows)
    text = paragraph(rng, lang)
    if note is not None:
        text += f"[^n{note}]"
    if rng.random() < 0.2:
        other = (doc + 1 + rng.randrange(max(docs - 1, 1))) % docs
        text += f" [{doc_slug(other)}](/{doc_slug(other)}/)"
    return text


def doc_slug(d):
    return f"policy-{d:03d}"


def first_version(rng, lang, doc, docs):
    """A document as a list of (kind, markdown) blocks."""
    blocks = []
    target = rng.randint(1500, 3000)
    count, section, note = 0, 0, 0
    while count < target:
        section += 1
        blocks.append(("heading", None))
        for _ in range(rng.randint(2, 4)):
            kind = "list" if rng.random() < 0.15 else "table" if rng.random() < 0.05 else "text"
            use_note = None
            if kind == "text" and rng.random() < 0.1:
                note += 1
                use_note = note
            block = fresh_block(rng, lang, kind, doc, docs, use_note)
            blocks.append((kind, block))
            count += words_in(block, lang)
    return blocks


def render(blocks, lang, rng_seed):
    """Markdown of blocks: headings numbered in order, footnotes at the end."""
    out, section, notes = [], 0, []
    heading_word = WORDS[lang][5]
    for kind, block in blocks:
        if kind == "heading":
            section += 1
            out.append(f"## {heading_word} {section}")
            continue
        out.append(block)
        for mark in [m for m in block.split("[^")[1:]]:
            notes.append(mark.split("]")[0])
    for n in notes:
        out.append(f"[^{n}]: {sentence(random.Random(f'{rng_seed}{n}'), lang)}")
    return "\n\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--docs", type=int, default=20)
    p.add_argument("--langs", type=int, default=5)
    p.add_argument("--versions", type=int, default=10)
    p.add_argument("--edit-rate", type=float, default=1.0)
    p.add_argument("--flavor", choices=["plain", "hugo"], default="plain")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    langs = LANGS[: a.langs]
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(os.path.join(a.out, "content"))
    if a.flavor == "plain":
        with open(os.path.join(a.out, "config.toml"), "w", encoding="utf-8") as f:
            f.write('base_url = "https://legal.bench.example/"\ntitle = "Bench"\n')
            f.write('default_language = "en"\ngoverning_language = "en"\n')
            for lang in langs:
                f.write(f'\n[languages.{lang}]\nname = "{NAMES[lang]}"\n')
    else:
        write_hugo_site(a.out, langs)
    for d in range(a.docs):
        for lang in langs:
            rng = random.Random(f"{a.seed}-{d}-{lang}")
            blocks = first_version(rng, lang, d, a.docs)
            for v in range(a.versions):
                if v > 0:
                    note_base = 100 * v
                    blocks = [
                        (k, b if k == "heading" or rng.random() >= a.edit_rate
                         else fresh_block(rng, lang, k, d, a.docs,
                                          note_base + i if b and "[^" in b else None))
                        for i, (k, b) in enumerate(blocks)
                    ]
                version = f"{v // 3 + 1}.{v % 3}"
                # Every language of a version takes effect the same day.
                date = f"{2016 + v}-0{1 + d % 9}-10"
                title = f"{WORDS[lang][5]} {d}" if lang != "en" else f"Policy {d}"
                write_source(a.out, a.flavor, d, lang, version, date, title,
                             render(blocks, lang, f"{a.seed}-{d}-{lang}-{v}"))


def write_source(out, flavor, d, lang, version, date, title, body):
    folder = os.path.join(out, "content", doc_slug(d))
    os.makedirs(folder, exist_ok=True)
    if flavor == "plain":
        name = f"{version}.{lang}.md"
        front = (f'---\ntitle: "{title}"\neffective_date: {date}\nversion: "{version}"\n'
                 f"language: {lang}\n---\n\n")
    else:
        name = f"v{version.replace('.', '-')}.{lang}.md"
        front = (f'---\ntitle: "{title}"\ndate: {date}\nparams:\n  version: "{version}"\n---\n\n')
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        f.write(front + body)


def write_hugo_site(out, langs):
    with open(os.path.join(out, "config.toml"), "w", encoding="utf-8") as f:
        f.write('baseURL = "https://legal.bench.example/"\ntitle = "Bench"\n')
        f.write('defaultContentLanguage = "en"\n')
        f.write('disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n')
        f.write("[markup.goldmark.parser.attribute]\n  title = true\n")
        f.write("[markup.tableOfContents]\n  startLevel = 2\n  endLevel = 4\n")
        for i, lang in enumerate(langs):
            f.write(f'\n[languages.{lang}]\n  languageName = "{NAMES[lang]}"\n  weight = {i + 1}\n')
    layouts = os.path.join(out, "layouts", "_default")
    os.makedirs(layouts)
    with open(os.path.join(layouts, "single.html"), "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html>\n<html lang=\"{{ .Lang }}\"><head><meta charset=\"utf-8\">"
                "<title>{{ .Title }}</title></head><body><main>\n<h1>{{ .Title }}</h1>\n"
                "<p>{{ .Date.Format \"2006-01-02\" }} · {{ .Params.version }}</p>\n"
                "{{ .TableOfContents }}\n{{ .Content }}\n</main></body></html>\n")
    with open(os.path.join(layouts, "list.html"), "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html>\n<html lang=\"{{ .Lang }}\"><head><meta charset=\"utf-8\">"
                "<title>{{ .Title }}</title></head><body><ul>\n{{ range .Pages }}"
                "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>\n{{ end }}</ul>"
                "</body></html>\n")


if __name__ == "__main__":
    main()
