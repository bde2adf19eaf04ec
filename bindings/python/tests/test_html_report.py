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
