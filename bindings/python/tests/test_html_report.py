"""The HTML roadmap report (tr_report_write_html, write_report(format="html"),
``techroad report --format html``): the file itself, then the page in a real
browser (headless Chromium, skipped only when it is not installed)."""
import html.parser
import json
import math
import os
import re
import shutil
import subprocess
import tempfile

import pytest

import techroad

NAMES = ["voluntary-agreement", "carbon-price", "green-industry"]
# the browser's own flags: no sandbox as root, and nothing of its own on the network
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


def fmt(v):
    """The report's fixed number format (lib/report.c)."""
    if not math.isfinite(v):
        return "–"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a == 0:
        return "0"
    if a >= 100:
        return f"{v:.1f}"
    return f"{v:.3g}"


def scale(values):
    """The factor lib/svg.c's tri_unit_scale picks for a column."""
    m = max(abs(v) for v in values if math.isfinite(v))
    k = min(3, int(math.floor(math.log10(m) / 3 + 1e-12))) if m >= 1000 else 0
    return 10.0 ** (-3 * k)


@pytest.fixture(scope="module")
def report(scen_dir, tmp_path_factory):
    """The page for three variants against bau, from Python."""
    results = [techroad.load(scen_dir / f"{n}.yaml").solve() for n in NAMES]
    bau = techroad.load(scen_dir / "bau.yaml").solve()
    out = tmp_path_factory.mktemp("html")
    assert techroad.write_report(results, out, baseline=bau, format="html") == str(out)
    return {"dir": out, "path": out / "report.html", "results": results, "bau": bau,
            "text": (out / "report.html").read_text(encoding="utf-8")}


def test_only_the_page_is_written(report):
    assert sorted(p.name for p in report["dir"].iterdir()) == ["report.html"]
    assert report["text"].startswith("<!DOCTYPE html>\n")


def test_python_matches_the_cli(cli, report, scen_dir, tmp_path):
    p = subprocess.run([cli, "report", *[str(scen_dir / f"{n}.yaml") for n in NAMES], "--out", str(tmp_path),
                        "--baseline", str(scen_dir / "bau.yaml"), "--format", "html"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "report.html" in p.stderr
    assert (tmp_path / "report.html").read_bytes() == report["path"].read_bytes()
    assert not (tmp_path / "report.md").exists()


def test_unknown_format_is_refused(cli, report, scen_dir, tmp_path):
    with pytest.raises(ValueError, match="format: expected 'markdown' or 'html', got 'pdf'"):
        techroad.write_report(report["results"], tmp_path, format="pdf")
    p = subprocess.run([cli, "report", str(scen_dir / "bau.yaml"), "--out", str(tmp_path), "--format", "pdf"],
                       capture_output=True, text=True)
    assert p.returncode != 0
    assert '--format: expected markdown or html, got "pdf"' in p.stderr
    assert not (tmp_path / "report.html").exists()


class _Refs(html.parser.HTMLParser):
    """Every tag, every src/href/xlink:href, and the text inside the sources list."""

    def __init__(self):
        super().__init__()
        self.tags, self.refs, self.sources_text = set(), [], []
        self._in_sources = 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        a = dict(attrs)
        for k in ("src", "href", "xlink:href", "data", "poster", "srcset", "action"):
            if k in a:
                self.refs.append(a[k])
        if tag == "ul" and a.get("class") == "sources":
            self._in_sources += 1

    def handle_endtag(self, tag):
        if tag == "ul" and self._in_sources:
            self._in_sources -= 1

    def handle_data(self, data):
        if self._in_sources:
            self.sources_text.append(data)


def test_the_file_asks_for_nothing_outside_itself(report):
    text = report["text"]
    p = _Refs()
    p.feed(text)
    # links only within the page; no script, frame, image or stylesheet link
    assert p.refs and all(r.startswith("#") for r in p.refs), [r for r in p.refs if not r.startswith("#")]
    assert not p.tags & {"script", "link", "img", "iframe", "object", "embed", "video", "audio", "source", "base"}
    assert "url(" not in text and "@import" not in text and "@font-face" not in text
    # the scenarios' sources are listed; a web address in them is text a reader
    # can copy, never an attribute (tests/check_report.c gives one)
    assert len(p.sources_text) >= 3
    assert not re.search(r"""=\s*["']?\s*(https?:|//)""", text)
    # charts are inline SVG with a name a screen reader reads, and print goes to A4
    assert text.count("<svg ") >= 3 * len(NAMES)
    assert text.count('role="img" aria-label=') == text.count("<svg ")
    assert "@media print" in text and "size:A4" in text


def test_axes_in_readable_units_from_zero(report):
    text = report["text"]
    # cumulative CO2 of the order of 10^7 t: Mt; energy of the order of 10^7 GJ: PJ
    assert "CO₂ emissions [Mt]" in text
    assert "energy use, all carriers [PJ]" in text
    assert "emissions.CO2 [" not in text.split("<h3>All indicators</h3>")[0]
    # the emissions axis starts at 0: its lowest tick label is 0
    fig = text.split('aria-label="Figure 1.1:')[1].split("</svg>")[0]
    ticks = [float(t) for t in re.findall(r'<text class="tick" x="[\d.]+" y="[\d.]+" text-anchor="end">([-\d.]+)</text>', fig)]
    assert ticks and min(ticks) == 0


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser(report):
    exe = _chromium()
    if not exe:
        pytest.skip("chromium is not installed (scripts/deps.sh installs it)")

    def run(*args, url=None):
        with tempfile.TemporaryDirectory(prefix="techroad-chromium-") as profile:
            p = subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args,
                                url or report["path"].as_uri()],
                               capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL)
        assert p.returncode == 0, p.stderr[-2000:]
        return p.stdout
    return run


def test_the_page_renders(browser, report, tmp_path):
    png = tmp_path / "shot.png"
    browser("--window-size=1200,1600", f"--screenshot={png}")
    import matplotlib.image
    img = matplotlib.image.imread(png)[:, :, :3]
    assert img.shape[:2] == (1600, 1200)
    ink = (img < 0.9).any(axis=2).mean()
    assert 0.02 < ink < 0.6, ink          # not blank, not a black page
    # the charts' blue (#0072B2) is drawn: the SVG rendered
    blue = ((abs(img[:, :, 0] - 0 / 255) < 0.08) & (abs(img[:, :, 1] - 114 / 255) < 0.08)
            & (abs(img[:, :, 2] - 178 / 255) < 0.08)).sum()
    assert blue > 200, blue


def test_the_dom_holds_the_scenarios_and_summary(browser, report):
    dom = browser("--dump-dom")
    summary = dom.split('<section id="summary">')[1].split("</section>")[0]
    results = report["results"]
    co2 = [r.totals["cumulative.emissions.CO2"] for r in results]
    npv = [r.npv for r in results]
    f_co2, f_npv = scale(co2), scale(npv)
    assert "Cumulative CO₂ emissions [Mt]" in summary and f_co2 == 1e-6
    for r, c, n in zip(results, co2, npv):
        name = r.scenario_name
        assert f"Scenario <code>{name}</code>" in dom
        row = summary.split(f">{name}</a>")[1].split("</tr>")[0]
        assert f">{fmt(c * f_co2)}</td>" in row, (name, fmt(c * f_co2), row)
        assert f">{fmt(n * f_npv)}</td>" in row, (name, fmt(n * f_npv), row)
    # the baseline, the coherence warnings (green industry's idle subsidy) and the sources
    assert report["bau"].scenario_name in dom
    assert "<code>retrofit_subsidy</code>" in dom
    assert '<section id="sources">' in dom
    # the measure abatement cost curves: charts the browser keeps, with their tables and excluded members
    macc = dom.split('<section id="macc">')[1].split("</section>")[0]
    assert macc.count('<figure class="macc">') == 2 and macc.count("<svg ") == 2
    assert macc.count('<rect class="block"') >= 2 * 8 and 'class="excluded"' in macc


def _page_requests(netlog):
    """URLs the page asked the network stack for (the browser's own
    background requests have no file:// page behind them)."""
    urls = []
    for e in netlog["events"]:
        p = e.get("params") or {}
        if "url" in p and "file://" in str(p.get("network_isolation_key", "")):
            urls.append(p["url"])
    return urls


def test_the_page_makes_no_network_request(browser, report, tmp_path):
    log = tmp_path / "net.json"
    rules = "--host-resolver-rules=MAP * ~NOTFOUND"   # and nothing could leave anyway
    browser(rules, f"--log-net-log={log}", "--dump-dom")
    urls = _page_requests(json.loads(log.read_text()))
    assert not [u for u in urls if not u.startswith("file:")], urls
    # the check sees a request when a page makes one
    ctl = tmp_path / "control.html"
    ctl.write_text('<!DOCTYPE html><p>x</p><img src="http://example.invalid/a.png">')
    log2 = tmp_path / "net2.json"
    browser(rules, f"--log-net-log={log2}", "--dump-dom", url=ctl.as_uri())
    assert "http://example.invalid/a.png" in _page_requests(json.loads(log2.read_text()))


def test_print_to_pdf_gives_pages(browser, report, tmp_path):
    pdf = tmp_path / "report.pdf"
    browser("--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    # the summary, then every scenario from a new page
    assert pages >= 1 + len(NAMES), pages
    assert os.path.getsize(pdf) > 10000


# ------------------------------------------------------------ abatement cost curves, front, MGA

def num3(v):
    """tri_report_num (lib/report.c): three significant digits, trailing zeros
    kept, whole numbers with separators from 1,000 on, "–" when missing."""
    if not math.isfinite(v):
        return "–"
    if v == 0:
        return "0"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    r = float(f"{v:.2e}")
    a = abs(r)
    if a >= 1000:
        return f"{r:,.0f}"
    dec = 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 1 else 2 - math.floor(math.log10(a) + 1e-12)
    return f"{r:.{dec}f}"


def cli_tables(cli, *args):
    """The tables a CLI analysis writes with --out, by name."""
    import pandas as pd
    with tempfile.TemporaryDirectory(prefix="techroad-cli-") as d:
        p = subprocess.run([cli, *args, "--format", "csv", "--out", d], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        return {f[:-4]: pd.read_csv(os.path.join(d, f), keep_default_na=False, na_values=[""])
                for f in os.listdir(d) if f.endswith(".csv")}


def rows_of(html_table):
    """The body cells of an HTML table, row by row, as text."""
    body = html_table.split("<tbody>")[1].split("</tbody>")[0]
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)]


def test_measure_curve_is_the_macc_table(cli, report, scen_dir):
    text = report["text"]
    sec = text.split('<section id="macc">')[1].split("</section>")[0]
    # voluntary-agreement and carbon-price share their data, hence their curve; green-industry's
    # subsidies change its costs: two curves
    assert sec.count('<figure class="macc">') == 2
    assert "<code>vn-eaf-va</code> (the same for <code>vn-eaf-carbon-price</code>)" in sec
    fig = sec.split('<figure class="macc">')[1].split("</figure>")[0]
    t = cli_tables(cli, "macc", str(scen_dir / "voluntary-agreement.yaml"), "--steps", "1")["measure_macc"]
    on = t["rank"].notna()
    fa = scale(list(t["cumulative_avoided"].dropna()))
    fc = scale(list(t["annualised_cost"]))
    assert fa == 1e-3 and fc == 1e-6
    assert "[kt/yr]" in fig and "annualised cost [M USD2020/yr]" in fig
    rows = rows_of(fig)
    assert len(rows) == len(t)
    for row, (_, m) in zip(rows, t.iterrows()):
        rank = "–" if math.isnan(m["rank"]) else f"{m['rank']:.0f}"
        want = [rank, num3(m["avoided"] * fa), num3(m["cost_per_unit_avoided"]), num3(m["cumulative_avoided"] * fa),
                num3(m["energy_saved_gj"] * 1e-3 if rank != "–" else math.nan),
                num3(m["cost_of_conserved_energy"]), num3(m["annualised_cost"] * fc)]
        assert [row[0], *row[3:9]] == want, (m["technology"], row)
        # an exclusive group's other members are there, marked excluded, naming the member taken
        if str(m["note"]).startswith("excluded: another member"):
            assert row[9].startswith("excluded: ") and row[9].endswith(" of the same group is taken")
    assert fig.count('<tr class="excluded">') == (~on).sum() > 0
    assert fig.count("<li>") == (~on).sum()
    # the chart: one block per measure on the curve, green below zero, blue above
    svg = fig.split("<svg ")[1].split("</svg>")[0]
    blocks = re.findall(r'<rect class="block"[^>]*fill="(#[0-9A-F]+)"', svg)
    cost = t.loc[on, "cost_per_unit_avoided"]
    assert blocks == ["#009E73" if c < 0 else "#0072B2" for c in cost]
    assert "saves money" in svg and "costs money" in svg


def test_a_price_shows_its_level_and_a_relative_target_its_reference(report, tmp_path):
    sec = report["text"].split("Scenario <code>vn-eaf-carbon-price</code>")[1].split("</section>")[0]
    pol = sec.split("<h3>Policies</h3>")[1].split("</table>")[0]
    row = pol.split("<th>price [USD2020/t]</th>")[1].split("</tr>")[0]
    assert re.findall(r">([^<]+)</td>", row)[-6:] == ["10.0", "16.0", "22.0", "28.0", "34.0", "40.0"]
    assert "limit [" not in pol and "value [" not in pol
    from conftest import TINY
    rel = TINY.replace("co2: {type: cap, indicator: emissions.CO2, limit: {2021: 850}}",
                       "co2: {type: cap, indicator: emissions.CO2, reduction: {2021: 0.15}, relative_to: 2020}")
    techroad.write_report(techroad.loads(rel).solve(), tmp_path, format="html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    row = page.split("<th>limit [t]: reference 1,000 in 2020 (existing stock, no decisions)</th>")[1].split("</tr>")[0]
    assert re.findall(r">([^<]+)</td>", row) == ["–", "850", "850"]


@pytest.fixture(scope="module")
def asked(scen_dir, tmp_path_factory):
    """The page and the Markdown with the model curve, the front and MGA."""
    names = ["carbon-price", "green-industry"]
    results = [techroad.load(scen_dir / f"{n}.yaml").solve() for n in names]
    bau = techroad.load(scen_dir / "bau.yaml").solve()
    out = tmp_path_factory.mktemp("asked")
    kw = dict(baseline=bau, macc_model=True, pareto=("cost", "emissions.CO2"), mga=0.01)
    techroad.write_report(results, out / "html", format="html", **kw)
    techroad.write_report(results, out / "md", **kw)
    return {"dir": out, "names": names, "results": results,
            "html": (out / "html" / "report.html").read_text(encoding="utf-8"),
            "md": (out / "md" / "report.md").read_text(encoding="utf-8")}


def test_model_curve_and_front_are_the_cli_tables(cli, asked, scen_dir):
    html, md = asked["html"], asked["md"]
    for a in ("#macc", "#front", "#mga"):
        assert f'<li><a href="{a}">' in html
    bau = str(scen_dir / "bau.yaml")
    m = cli_tables(cli, "macc", bau)["model_macc"]
    fig = html.split('<figure class="macc-model">')[1].split("</figure>")[0]
    fcap, fab, fn = scale(list(m["cap"])), scale(list(m["abatement"])), scale(list(m["npv_increase"]))
    assert "cap [Mt]" in fig and "CO₂ abated [kt]" in fig and "NPV increase [M USD2020]" in fig
    rows = rows_of(fig)
    assert len(rows) == len(m) == 11
    for row, (_, s) in zip(rows, m.iterrows()):
        assert row == [f"{s['step']:.0f}", num3(s["cap"] * fcap), num3(s["abatement"] * fab), num3(s["shadow_price"]),
                       num3(s["npv_increase"] * fn), num3(s["step_cost"])], row
    # the blocks: one per step that abates more than the last, as wide as the abatement it adds
    assert fig.count('<rect class="block"') == m["step_cost"].notna().sum()
    assert "### The model under a tightening cap, 2030: `vn-eaf-bau`" in md
    # the front: the cost objective is the resource cost (the variants' taxes differ)
    f = cli_tables(cli, "pareto", bau, "--x", "cost", "--y", "emissions.CO2",
                   *[a for n in asked["names"] for a in ("--place", str(scen_dir / f"{n}.yaml"))])
    front, var = f["front"], f["variants"]
    assert list(front.columns[:3]) == ["point", "resource_cost", "emissions.CO2"]
    sec = html.split('<section id="front">')[1].split("</section>")[0]
    fx, fy = scale(list(front["resource_cost"])) * 1e3, scale(list(front["emissions.CO2"])) * 1e3
    assert "resource cost [M USD2020]" in sec and "CO₂ emissions, sum over the horizon [kt]" in sec
    tables = sec.split("<table>")[1:]
    rows = rows_of(tables[0])
    assert [r[1:3] for r in rows] == [[num3(x * fx), num3(y * fy)]
                                      for x, y in zip(front["resource_cost"], front["emissions.CO2"])]
    rows = rows_of(tables[1])
    assert [r[1:4] + r[5:] for r in rows] == [[v, num3(x * fx), num3(y * fy), "yes" if d else "no"]
                                              for v, x, y, d in zip(var["variant"], var["resource_cost"],
                                                                    var["emissions.CO2"], var["dominated"])]
    svg = sec.split("<svg ")[1].split("</svg>")[0]
    assert svg.count("<circle ") == len(front) and svg.count("rotate(45") == len(var)
    assert "## Trade-off front: `vn-eaf-bau`, CO2 emissions, sum over the horizon against resource cost" in md
    # the same tables in full precision next to report.md
    d = asked["dir"] / "md"
    assert sorted(p.name for p in d.iterdir() if p.name.startswith(("front", "model", "macc"))) == \
        ["front.csv", "front_variants.csv", "macc.csv", "model_macc.csv"]


def test_mga_ranges_in_the_page(asked, scen_dir):
    html = asked["html"]
    sec = html.split('<section id="mga">')[1].split("</section>")[0]
    assert asked["md"].count("## Near-optimal roadmaps") == 1
    for n, r in zip(asked["names"], asked["results"]):
        ranges = techroad.load(scen_dir / f"{n}.yaml").mga(slack=0.01, alternatives=0, progress=False).ranges
        part = sec.split(f"Near-optimal ranges: <code>{r.scenario_name}</code>")[1].split("</table>")[0]
        rows = rows_of(part + "</table>")
        assert len(rows) == len(ranges)
        for row, (_, g) in zip(rows, ranges.iterrows()):
            assert row[1:] == [f"{100 * g['min']:.1f}", f"{100 * g['max']:.1f}", f"{100 * g['optimum']:.1f}",
                               "yes" if g["needed"] == "yes" else "no"], row
        assert f"### Near-optimal ranges: `{r.scenario_name}`" in asked["md"]


def test_report_options_bad_input(cli, scen_dir, tmp_path):
    bau = str(scen_dir / "bau.yaml")
    p = subprocess.run([cli, "report", bau, "--out", str(tmp_path / "a"), "--pareto", "cost"],
                       capture_output=True, text=True)
    assert p.returncode == 2 and '--pareto: expected two objectives X,Y (such as cost,emissions.CO2), got "cost"' \
        in p.stderr
    p = subprocess.run([cli, "report", bau, "--out", str(tmp_path / "b"), "--pareto", "npv,emissions.CO3"],
                       capture_output=True, text=True)
    assert p.returncode == 2 and 'pareto: indicator: unknown species "CO3"' in p.stderr, p.stderr
    assert not (tmp_path / "b").exists()   # the analyses run before anything is written
    with pytest.raises(ValueError, match="pareto: expected two objectives"):
        techroad.write_report(techroad.load(bau).solve(), tmp_path / "c", pareto=("cost",))
    with pytest.raises(ValueError, match="mga: expected a slack >= 0"):
        techroad.write_report(techroad.load(bau).solve(), tmp_path / "c", mga=-1)


def test_front_labels_cover_no_label_or_marker(scen_dir):
    """The committed page's front (seven variants, three of them within a few
    pixels of each other): every marker's label clears every other label and
    every marker and dot (lib/svg.c xy_place_label); text boxes as svg.c
    measures them, 6.6 px per character, 9 px above and 2 below the baseline."""
    page = (scen_dir.parent.parent / "examples" / "vn-eaf" / "report.html").read_text(encoding="utf-8")
    svg = page.split('<section id="front">')[1].split("<svg ")[1].split("</svg>")[0]
    marks = [(float(x) + 4.5, float(y) + 4.5) for x, y in
             re.findall(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="9" height="9"', svg)]
    dots = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([-\d.]+)" cy="([-\d.]+)" r="3"', svg)]
    labels = re.findall(r'\)"/><text class="tick" x="([-\d.]+)" y="([-\d.]+)" text-anchor="(start|end)">(\d+)</text>',
                        svg)
    assert len(marks) == len(labels) == 7 and len(dots) == 11
    boxes = []
    for x, y, anchor, text in labels:
        x, y, w = float(x), float(y), 6.6 * len(text)
        boxes.append((x - w if anchor == "end" else x, y - 9, x if anchor == "end" else x + w, y + 2))

    def hit(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    obstacles = [(x - 6, y - 6, x + 6, y + 6) for x, y in marks] + [(x - 3, y - 3, x + 3, y + 3) for x, y in dots]
    for i, a in enumerate(boxes):
        assert not any(hit(a, o) for o in obstacles), labels[i]
        assert not any(hit(a, b) for b in boxes[i + 1:]), labels[i]
        # and each label stays next to its own marker (within 30 px)
        mx, my = marks[i]
        assert abs((a[1] + a[3]) / 2 - my) <= 30 and min(abs(a[0] - mx), abs(a[2] - mx)) <= 9, labels[i]
