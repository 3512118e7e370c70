#!/usr/bin/env python3
"""Generate assets/catalog/availability.ron from the shared facts file.

Reads the markdown tables of catalog-facts-2.md:
  9.2-9.9  the commercial matrices (one table per deployment type),
  9.10     Azure Government (Standard, DZ Standard, Regional and DZ Provisioned),
  11a      the deployment types of fine-tuned models,
and writes one entry per (model, deployment, fine_tuned) that has at least one ✓.
Only ✓ counts as offered; "·", "n/l" and "—" (and anything else) are "not offered".

Usage:
  tools/availability_from_facts.py [FACTS] [-o OUT]   write the RON (stdout without -o)
  tools/availability_from_facts.py [FACTS] --check    count ✓ cells per table, compare with
                                                      the "_N model×region cells ✓_" lines,
                                                      and compare OUT (default the catalog
                                                      file) with what would be generated
"""

import argparse
import re
import sys
from pathlib import Path

DEFAULT_FACTS = "/work/shared/spec/catalog-facts-2.md"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "assets/catalog/availability.ron"
OK = "✓"

# The llmcap catalog ids and the matrix row (model, version) each one reads.
MODELS = [
    ("gpt-4o", "gpt-4o", "2024-11-20"),
    ("gpt-4o-mini", "gpt-4o-mini", "2024-07-18"),
    ("gpt-4.1", "gpt-4.1", "2025-04-14"),
    ("gpt-4.1-mini", "gpt-4.1-mini", "2025-04-14"),
    ("gpt-4.1-nano", "gpt-4.1-nano", "2025-04-14"),
    ("o1", "o1", "2024-12-17"),
    ("o3", "o3", "2025-04-16"),
    ("o3-mini", "o3-mini", "2025-01-31"),
    ("o4-mini", "o4-mini", "2025-04-16"),
    ("gpt-5", "gpt-5", "2025-08-07"),
    ("gpt-5-mini", "gpt-5-mini", "2025-08-07"),
    ("gpt-5-nano", "gpt-5-nano", "2025-08-07"),
    ("gpt-5.1", "gpt-5.1", "2025-11-13"),
    ("gpt-5.2", "gpt-5.2", "2025-12-11"),
    ("gpt-5.4", "gpt-5.4", "2026-03-05"),
    ("gpt-5.4-mini", "gpt-5.4-mini", "2026-03-17"),
    ("gpt-5.4-nano", "gpt-5.4-nano", "2026-03-17"),
    ("gpt-5.5", "gpt-5.5", "2026-04-24"),
]
# Matrix rows deliberately left out (not catalog models, or not the catalog's version).
SKIPPED_ROWS = {("gpt-4o", "2024-08-06"), ("gpt-4o", "2024-05-13"), ("o3-pro", "2025-06-10")}
# Azure Government only (9.10): version of the row.
GOV_ONLY = [("gpt-5.6-sol", "2026-07-09"), ("gpt-5.6-terra", "2026-07-09"), ("gpt-5.6-luna", "2026-07-09")]
GOV_REGIONS = ["usgovarizona", "usgovvirginia"]

REPO = "MicrosoftDocs/azure-ai-docs"
MM = "articles/foundry/foundry-models/includes/model-matrix"
GOV = "articles/foundry/openai/includes/model-matrix"
SOURCES = {
    # key: (source text, as_of)
    "MM-STD": (f"{REPO} {MM}/deployments-standard.md @ 00bb5540 (ms.date 2026-06-11, content ≥ 2026-07-07)", "2026-07-07"),
    "MM-PTU": (f"{REPO} {MM}/deployments-provisioned.md @ 00bb5540 (ms.date 2026-05-11)", "2026-05-11"),
    "MM-BAT": (f"{REPO} {MM}/deployments-batch.md @ 2a5ac240 (ms.date 2026-08-28)", "2026-08-28"),
    "GOV-STD": (f"{REPO} {GOV}/standard-models-gov.md @ 467c504d (ms.date 2026-04-03)", "2026-04-03"),
    "GOV-DZS": (f"{REPO} {GOV}/datazone-standard-gov.md @ 2a5ac240 (ms.date 2026-09-01)", "2026-09-01"),
    "GOV-PTU": (f"{REPO} {GOV}/provisioned-models-gov.md @ 4461fd5e (ms.date 2026-04-03)", "2026-04-03"),
    "GOV-DZP": (f"{REPO} {GOV}/datazone-provisioned-managed-gov.md @ 55355da3 (ms.date 2026-09-01)", "2026-09-01"),
    "FT-DEP": (f"{REPO} articles/foundry/openai/how-to/fine-tuning-deploy.md @ 4b3b342a (ms.date 2026-02-11)", "2026-02-11"),
}
GOV_RET = f"{REPO} {GOV}/retirement-models-gov.md @ 0a9685ac (ms.date 2026-04-03)"

# Section heading -> (deployment, commercial source key).
TABLES = [
    ("9.2", "GlobalStandard", "MM-STD"),
    ("9.3", "DataZoneStandard", "MM-STD"),
    ("9.4", "RegionalStandard", "MM-STD"),
    ("9.5", "GlobalProvisioned", "MM-PTU"),
    ("9.6", "DataZoneProvisioned", "MM-PTU"),
    ("9.7", "RegionalProvisioned", "MM-PTU"),
    ("9.8", "GlobalBatch", "MM-BAT"),
    ("9.9", "DataZoneBatch", "MM-BAT"),
]
DEPLOYMENT_ORDER = [d for _, d, _ in TABLES]

# 9.10 columns (after model, version): (deployment, source key, regions the cell covers).
# A "DZ" cell reads "✓ / ✓": from usgovarizona / from usgovvirginia.
GOV_COLUMNS = [
    ("RegionalStandard", "GOV-STD", ["usgovarizona"]),
    ("RegionalStandard", "GOV-STD", ["usgovvirginia"]),
    ("DataZoneStandard", "GOV-DZS", GOV_REGIONS),
    ("RegionalProvisioned", "GOV-PTU", ["usgovarizona"]),
    ("RegionalProvisioned", "GOV-PTU", ["usgovvirginia"]),
    ("DataZoneProvisioned", "GOV-DZP", GOV_REGIONS),
]

RS_CAVEAT = (
    "Listed in Microsoft's Regional Standard matrix (content ≥ 2026-07-07), but Microsoft's "
    "Azure Government retirement table (2026-04-03) gives 2026-03-31 as the public-cloud "
    "Regional Standard retirement of {what}, so it may already be retired."
)
RET = f"{REPO} articles/foundry/openai/includes/concepts-model-retirement-schedule-content.md @ 00bb5540 (ms.date 2026-07-07)"
CAVEATS = {
    ("gpt-4o-mini", "RegionalStandard"): (
        RS_CAVEAT.format(what="gpt-4o-mini 2024-07-18"),
        f"the caveat rests on {GOV_RET}, whose column \"Public Retirement Plan\" says \"3/31/2026 for "
        "Regional Standard. 10/1/2026 for DataZone and PTU.\"; the public schedule, "
        f"{RET}, gives 2026-10-01 for all types",
    ),
}
EXTRA_NOTES = {
    ("gpt-4o", "RegionalStandard"): (
        f"no caveat: the 2026-03-31 Regional Standard retirement in {GOV_RET} is for gpt-4o 0513, "
        "not 2024-11-20"
    ),
}


def split_row(line):
    cells = line.strip().strip("|").split("|")
    return [c.strip() for c in cells]


def section(lines, number):
    """The lines from the heading `#### <number> ...` (or ### ) to the next heading."""
    start = None
    for i, line in enumerate(lines):
        if re.match(rf"^#+ {re.escape(number)}[ .]", line):
            start = i
            break
    if start is None:
        sys.exit(f"section {number} not found")
    end = len(lines)
    for j in range(start + 1, len(lines)):
        if lines[j].startswith("#"):
            end = j
            break
    return lines[start:end]


def tables(block):
    """Each markdown table of a block as (header, rows)."""
    out, cur = [], None
    for line in block:
        if line.startswith("|"):
            cells = split_row(line)
            if cur is None:
                cur = (cells, [])
            elif all(re.fullmatch(r":?-+:?", c) for c in cells):
                continue
            else:
                cur[1].append(cells)
        elif cur is not None:
            out.append(cur)
            cur = None
    if cur is not None:
        out.append(cur)
    return out


def model_cell(c):
    return c.replace("*", "").strip()


def commercial_regions(lines):
    """The 28 regions of 9.1 that host Azure OpenAI in the commercial cloud."""
    for header, rows in tables(section(lines, "9.1")):
        for row in rows:
            if row[0].startswith("Regions that host Azure OpenAI"):
                m = re.match(r"(\d+):\s*(.*)", row[1])
                n, names = int(m.group(1)), re.split(r"[,;]\s*", m.group(2).strip())
                names = [x.strip() for x in names if x.strip()]
                assert len(names) == n, (n, names)
                return names
    sys.exit("9.1: the list of commercial regions was not found")


def parse_matrices(lines):
    """{section: (deployment, source, columns, rows, summary)}; rows are (model, version, cells)."""
    out = {}
    for number, deployment, src in TABLES:
        block = section(lines, number)
        (header, rows), = [t for t in tables(block) if t[0][:2] == ["model", "version"]]
        columns = header[2:]
        parsed = []
        for row in rows:
            assert len(row) == len(header), (number, row)
            parsed.append((model_cell(row[0]), row[1], row[2:]))
        summary = None
        for line in block:
            m = re.search(r"_.*?: (\d+) model×region cells ✓", line)
            if m:
                summary = int(m.group(1))
        out[number] = (deployment, src, columns, parsed, summary)
    return out


def parse_gov(lines):
    """{(model, version): [cells...]} from the 9.10 matrix (gpt-5.6-* expanded)."""
    block = section(lines, "9.10")
    (header, rows), = [t for t in tables(block) if t[0][:2] == ["model", "version"]]
    assert len(header) == 2 + len(GOV_COLUMNS), header
    out = {}
    for row in rows:
        name, version, cells = model_cell(row[0]), row[1], row[2:]
        if name.startswith("gpt-5.6-sol"):
            for gid, gver in GOV_ONLY:
                assert version == gver, row
                out[(gid, gver)] = cells
        elif "," in name:  # the row of models with no Gov cell at all
            assert not any(OK in c for c in cells), row
        else:
            out[(name, version)] = cells
    return out


def gov_cells(cells):
    """[(deployment, source, [regions])] for the ✓ parts of one 9.10 row."""
    got = []
    for (dep, src, regions), cell in zip(GOV_COLUMNS, cells):
        parts = [p.strip() for p in cell.split("/")] if len(regions) > 1 else [cell]
        if len(parts) != len(regions):
            parts = [cell] * len(regions)  # a single "—" or "·" for both regions
        hit = [r for r, p in zip(regions, parts) if p.startswith(OK)]
        if hit:
            got.append((dep, src, hit))
    return got


def parse_finetune(lines, all_regions):
    """[(model, version_note, deployment, regions)] from 11a."""
    block = section(lines, "11a")
    (header, rows), = [t for t in tables(block) if t[0][0] == "model"]
    assert header[1].startswith("Standard") and header[2] == "Global Standard", header
    assert header[3] == "Developer tier" and header[4].startswith("Provisioned"), header
    out = []
    for row in rows:
        m = re.match(r"([a-z0-9.\-]+)\s*(?:\((.*)\))?$", row[0])
        if not m:
            continue  # the "Data Zone Standard, ... any Batch" row: not offered
        model, paren = m.group(1), m.group(2) or ""
        if model == "gpt-5":
            continue  # private preview; FT-DEP lists no deployment type
        for dep, cell in (("RegionalStandard", row[1]), ("GlobalStandard", row[2]), ("RegionalProvisioned", row[4])):
            if cell.startswith("—") or cell.startswith("-"):
                continue
            if cell.lower().startswith("all"):
                regions = list(all_regions)
            else:
                regions = [r.strip() for r in cell.split(",")]
                assert all(re.fullmatch(r"[a-z0-9]+", r) for r in regions), cell
            out.append((model, paren, dep, regions))
    return out


def build(lines):
    matrices = parse_matrices(lines)
    gov = parse_gov(lines)
    all_regions = commercial_regions(lines)
    catalog_rows = {(name, ver): mid for mid, name, ver in MODELS}

    # (model, deployment) -> {"regions": [...], "sources": [keys]}
    entries = {}
    for number, (deployment, src, columns, rows, _) in matrices.items():
        for name, version, cells in rows:
            if (name, version) in SKIPPED_ROWS:
                continue
            mid = catalog_rows.get((name, version))
            if mid is None:
                sys.exit(f"{number}: row {name} {version} is neither a catalog model nor skipped")
            regions = [c for c, v in zip(columns, cells) if v == OK]
            if regions:
                entries[(mid, deployment)] = {"regions": regions, "sources": [src], "version": version}
    gov_models = [g for g, _ in GOV_ONLY]
    for (name, version), cells in gov.items():
        if name in gov_models:
            mid = name
        elif (name, version) in catalog_rows:
            mid = catalog_rows[(name, version)]
        elif any(OK in c for c in cells):
            sys.exit(f"9.10: row {name} {version} has a ✓ but is not a catalog model")
        else:
            continue
        for dep, src, regions in gov_cells(cells):
            e = entries.setdefault((mid, dep), {"regions": [], "sources": [], "version": version})
            e["regions"] += [r for r in regions if r not in e["regions"]]
            if src not in e["sources"]:
                e["sources"].append(src)

    out = []
    order = [m for m, _, _ in MODELS] + [g for g, _ in GOV_ONLY]
    for mid in order:
        for dep in DEPLOYMENT_ORDER:
            e = entries.get((mid, dep))
            if not e:
                continue
            caveat, cnote = CAVEATS.get((mid, dep), (None, None))
            notes = [f"version {e['version']}"]
            if mid == "gpt-4o":
                notes[0] += " (the 2024-08-06 and 2024-05-13 rows are not used)"
            if mid in gov_models:
                notes.append("Azure Government only (USGov data zone)")
            if (mid, dep) in EXTRA_NOTES:
                notes.append(EXTRA_NOTES[(mid, dep)])
            if cnote:
                notes.append(cnote)
            out.append({
                "model": mid,
                "deployment": dep,
                "fine_tuned": False,
                "regions": e["regions"],
                "caveat": caveat,
                "source": "; ".join(SOURCES[s][0] for s in e["sources"]),
                "as_of": max(SOURCES[s][1] for s in e["sources"]),
                "notes": "; ".join(notes),
            })

    ft = []
    for model, paren, dep, regions in parse_finetune(lines, all_regions):
        notes = []
        if model == "gpt-4o":
            notes.append("fine-tuned from gpt-4o 2024-08-06, the fine-tunable version (the catalog's gpt-4o is 2024-11-20)")
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", paren):
            notes.append(f"fine-tuned from {model} {paren}")
        elif paren:
            notes.append(f"{paren} (reinforcement fine-tuning)" if paren == "RFT" else paren)
        if dep in ("GlobalStandard", "RegionalProvisioned"):
            notes.append("preview: fine-tuning-deploy.md marks fine-tuned Global Standard and Provisioned Throughput so")
        if dep == "GlobalStandard":
            notes.append(
                f"fine-tuning-deploy.md says \"all Azure OpenAI regions\": listed as the {len(all_regions)} commercial "
                "regions that host Azure OpenAI (catalog-facts-2 9.1)"
            )
        src, as_of = SOURCES["FT-DEP"]
        ft.append({
            "model": model,
            "deployment": dep,
            "fine_tuned": True,
            "regions": regions,
            "caveat": None,
            "source": src,
            "as_of": as_of,
            "notes": "; ".join(notes),
        })
    ft.sort(key=lambda e: ([m for m, _, _ in MODELS].index(e["model"]), DEPLOYMENT_ORDER.index(e["deployment"])))
    return matrices, gov, out, ft, all_regions


def ron_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ron_list(items, indent):
    one = "[" + ", ".join(ron_str(i) for i in items) + "]"
    if len(one) + indent + len("regions: ,") <= 100:
        return one
    pad = " " * (indent + 4)
    lines, cur = [], ""
    for i in items:
        piece = ron_str(i) + ","
        if cur and len(pad) + len(cur) + 1 + len(piece) > 100:
            lines.append(pad + cur)
            cur = piece
        else:
            cur = f"{cur} {piece}" if cur else piece
    lines.append(pad + cur)
    return "[\n" + "\n".join(lines) + "\n" + " " * indent + "]"


def ron_entry(e):
    ind = 8
    caveat = "None" if e["caveat"] is None else f"Some({ron_str(e['caveat'])})"
    return "\n".join([
        "    (",
        f"        model: {ron_str(e['model'])},",
        f"        deployment: {e['deployment']},",
        f"        fine_tuned: {'true' if e['fine_tuned'] else 'false'},",
        f"        regions: {ron_list(e['regions'], ind)},",
        f"        caveat: {caveat},",
        f"        source: {ron_str(e['source'])},",
        f"        as_of: {ron_str(e['as_of'])},",
        "        estimate: false,",
        f"        notes: {ron_str(e['notes'])},",
        "    ),",
    ])


HEADER = """\
// Where each Azure OpenAI model can be deployed: one entry per (model, deployment type,
// fine-tuned), listing the regions where such a deployment can be created. A model,
// deployment type and region with no entry here cannot be deployed, whatever its price.
// Generated by tools/availability_from_facts.py from catalog-facts-2 sections 9.2-9.10 and
// 11a; regenerate rather than edit by hand.
//
// Only a ✓ cell counts as offered. "·" (region is a column, cell is "-"), "n/l" (region is
// not a column of that type's table) and "—" (model not listed for the type) all mean not
// offered, and a model with no ✓ for a type has no entry for it.
// Data Zone entries list the regions a Data Zone deployment can be created in; the zone is
// each region's `zone` in regions.ron.
//
// Sources, all in MicrosoftDocs/azure-ai-docs (each entry's `source` names its own):
//   Standard types   {MM-STD}
//   provisioned      {MM-PTU}
//   batch            {MM-BAT}
//   Government       {GOV-STD}
//                    {GOV-DZS}
//                    {GOV-PTU}
//                    {GOV-DZP}
//   fine-tuned       {FT-DEP}
// Azure Government (usgovarizona, usgovvirginia) has no Global or Batch types; its cells are
// in the entry of the same model and type as the commercial regions.
// Models: gpt-4o is its 2024-11-20 row; o3-pro is not in the catalog.
[
"""

FT_HEADER = """\
    // Fine-tuned models (catalog-facts-2 11a, from FT-DEP): Standard (regional), Global Standard
    // and Regional Provisioned only. Data Zone, Global Provisioned, Data Zone Provisioned and
    // Batch are not offered for fine-tuned models. FT-DEP's Developer tier (o4-mini and the
    // gpt-4.1 family, all regions, 24-hour deployments, no SLA) has no Deployment variant and
    // no entry. gpt-5 fine-tuning is private preview (SFT) with no deployment types listed: no
    // entry.
"""


def render(out, ft):
    def short(key):
        return SOURCES[key][0].replace(f"{REPO} ", "")

    header = HEADER.format(**{k: short(k) for k in SOURCES})
    body = [ron_entry(e) for e in out]
    body.append(FT_HEADER.rstrip("\n"))
    body += [ron_entry(e) for e in ft]
    return header + "\n".join(body) + "\n]\n"


def read_ron(text):
    """The (model, deployment, fine_tuned, regions) of each entry of an availability.ron."""
    text = re.sub(r"(?m)^\s*//.*$", "", text)
    out = []
    for m in re.finditer(r'model: "([^"]+)",\s*deployment: (\w+),\s*fine_tuned: (true|false),\s*'
                         r"regions: \[([^\]]*)\]", text):
        out.append({
            "model": m.group(1),
            "deployment": m.group(2),
            "fine_tuned": m.group(3) == "true",
            "regions": re.findall(r'"([^"]+)"', m.group(4)),
        })
    return out


def check(matrices, gov, out, ft, all_regions, out_path, text):
    ok = True
    print(f"{'table':<28} {'all ✓':>6} {'summary':>8} {'excluded':>9} {'included':>9} {'in RON':>7}")
    # Counted from the file on disk (read back), not from the generated entries.
    disk = read_ron(out_path.read_text()) if out_path.exists() else []
    base = [e for e in disk if not e["fine_tuned"]]
    by_dep = {}
    for e in base:
        n = sum(1 for r in e["regions"] if not r.startswith("usgov"))
        by_dep[e["deployment"]] = by_dep.get(e["deployment"], 0) + n
    for number, (deployment, _, columns, rows, summary) in matrices.items():
        total = sum(v == OK for _, _, cells in rows for v in cells)
        excluded = {f"{n} {v}": sum(c == OK for c in cells) for n, v, cells in rows if (n, v) in SKIPPED_ROWS}
        included = total - sum(excluded.values())
        in_ron = by_dep.get(deployment, 0)
        flag = "" if total == summary and included == in_ron else "  MISMATCH"
        ok &= not flag
        print(f"{number} {deployment:<23} {total:>6} {summary!s:>8} {sum(excluded.values()):>9} {included:>9} {in_ron:>7}{flag}")
        print("      excluded: " + ", ".join(f"{k} {v}" for k, v in excluded.items()))
    gov_total = sum(len(r) for cells in gov.values() for _, _, r in gov_cells(cells))
    gov_ron = sum(1 for e in base for r in e["regions"] if r.startswith("usgov"))
    print(f"9.10 Government cells ✓ (per region): {gov_total}; in RON: {gov_ron}"
          + ("" if gov_total == gov_ron else "  MISMATCH"))
    ok &= gov_total == gov_ron
    dft = [e for e in disk if e["fine_tuned"]]
    print(f"11a fine-tuned entries: {len(ft)}, region cells: {sum(len(e['regions']) for e in ft)}; "
          f"in RON: {len(dft)}, {sum(len(e['regions']) for e in dft)}")
    print(f"entries in RON: {len(base)} base + {len(dft)} fine-tuned = {len(disk)}")
    keys = [(e["model"], e["deployment"], e["fine_tuned"]) for e in disk]
    if len(keys) != len(set(keys)):
        print("DUPLICATE (model, deployment, fine_tuned) keys")
        ok = False
    regions_ron = out_path.parent / "regions.ron"
    if regions_ron.exists():
        known = set(re.findall(r'id: "([^"]+)"', regions_ron.read_text()))
        used = {r for e in out + ft for r in e["regions"]}
        missing = sorted(used - known)
        print("regions not in regions.ron: " + (", ".join(missing) if missing else "none"))
        ok &= not missing
    if out_path.exists():
        same = out_path.read_text() == text
        print(f"{out_path}: {'matches' if same else 'DIFFERS from'} the generated text")
        ok &= same
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("facts", nargs="?", default=DEFAULT_FACTS)
    ap.add_argument("-o", "--out", type=Path)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    lines = Path(args.facts).read_text(encoding="utf-8").splitlines()
    matrices, gov, out, ft, all_regions = build(lines)
    text = render(out, ft)
    if args.check:
        sys.exit(0 if check(matrices, gov, out, ft, all_regions, args.out or DEFAULT_OUT, text) else 1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
