"""What the crawler does on a local site of many hosts (issue 14), against trafilatura's ``fetch_url`` loop.

    python bench/bench_crawl.py                         # 20 hosts x 500 articles, delay 0
    python bench/bench_crawl.py --hosts 4 --articles 100   # a quick look
    python bench/bench_crawl.py --frontier 1000000      # memory for a frontier of a million URLs

The site: ``--hosts`` loopback addresses (127.0.0.2, 127.0.0.3, ...) served by one uvicorn process
(a bare asyncio HTTP/1.1 server), each host with a robots.txt, a sitemap of ``--articles`` article pages, and pages of
about 12 KB of Arabic news written for this bench (sentences put together per page, so every page
differs). Nothing leaves the machine.

* **marsad crawl**: ``marsad crawl SITEMAP... --delay 0 --concurrency HOSTS --no-ingest`` in a child
  process: pages fetched and written to WARC per second (robots.txt obeyed, one request at a time per
  host, every exchange in the WARC, the frontier in the archive), and its peak memory.
* **ingest**: ``marsad ingest`` of those WARC files (``--no-enrich``, and with enrichment on the first
  ``--enrich-sample`` pages), pages per second: the pipeline's own rate, apart from fetching.
* **trafilatura**: ``trafilatura.fetch_url`` over the same URLs, one after another (what its
  documentation shows for a list of URLs), in a child process: pages per second. It writes no WARC,
  reads no robots.txt and keeps no frontier.
* ``--frontier N``: one more host whose sitemap index lists N article URLs (sitemaps of 50,000);
  ``marsad crawl`` of it with ``--max-pages 2000``, and the same of indexes of 10,000 and 100,000:
  peak memory of each (the frontier is on disk: memory must not grow with it), and the time taken.

Ratios are of the same run. Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Sentences in the style of Arabic news, written for this bench; a page is a seeded draw of them.
SENTENCES = [
    "أعلنت وزارة الزراعة اليوم عن خطة جديدة لدعم صغار المزارعين في المحافظات الجنوبية.",
    "وقال المتحدث باسم الوزارة إن الخطة تشمل توزيع البذور المحسنة بأسعار مخفضة.",
    "وشهدت الأسواق المحلية ارتفاعاً ملحوظاً في أسعار الخضروات خلال الأسبوع الماضي.",
    "وأكد رئيس الغرفة التجارية أن الحركة في الميناء عادت إلى مستوياتها المعتادة.",
    "ويتوقع خبراء الاقتصاد أن يتراجع معدل التضخم تدريجياً مع نهاية العام.",
    "وافتتح المحافظ مستشفى جديداً يضم مئتي سرير وقسماً متخصصاً لأمراض القلب.",
    "وفاز الفريق المحلي على ضيفه بهدفين دون مقابل في المباراة التي أقيمت مساء أمس.",
    "وأشار التقرير إلى أن عدد السياح الوافدين ارتفع بنسبة خمسة عشر في المئة.",
    "ودعت منظمات المجتمع المدني إلى تسريع إجراءات ترميم المدارس المتضررة من الأمطار.",
    "وتستضيف العاصمة الأسبوع المقبل معرضاً دولياً للكتاب بمشاركة مئات دور النشر.",
    "وأوضح البيان أن أعمال الصيانة في الطريق السريع ستستمر حتى نهاية الشهر.",
    "وناقش مجلس النواب في جلسته الأخيرة مشروع قانون لتنظيم التجارة الإلكترونية.",
    "وحذرت هيئة الأرصاد الجوية من موجة حر تضرب المناطق الساحلية خلال الأيام المقبلة.",
    "وأطلقت الجامعة برنامجاً لتدريب الخريجين على مهارات البرمجة وتحليل البيانات.",
    "وبلغت صادرات البلاد من التمور رقماً قياسياً في الموسم الحالي بحسب الأرقام الرسمية.",
    "وأفاد شهود عيان بأن فرق الدفاع المدني سيطرت على الحريق بعد ساعتين من اندلاعه.",
    "وتعهدت الحكومة بزيادة مخصصات البحث العلمي في موازنة العام المقبل.",
    "واختتمت أمس فعاليات المهرجان المسرحي بتكريم عدد من الفنانين الشباب.",
    "وأكدت وزيرة الصحة أن حملة التطعيم ستصل إلى القرى النائية خلال أسابيع.",
    "وسجلت البورصة مكاسب جماعية في ختام تعاملات الأسبوع بدعم من أسهم البنوك.",
]
SECTIONS = ["اقتصاد", "رياضة", "صحة", "ثقافة", "محليات", "سياسة"]


def page(host: int, n: int) -> bytes:
    rng = random.Random(host * 1_000_003 + n)
    title = rng.choice(SENTENCES).rstrip(".")
    paragraphs = ["".join(f"<p>{' '.join(rng.sample(SENTENCES, 5))}</p>" for _ in range(10))]
    menu = "".join(f'<li><a href="/section/{i}">{s}</a></li>' for i, s in enumerate(SECTIONS))
    related = "".join(f'<li><a href="/news/{(n + k) % 997}">{SENTENCES[(n + k) % len(SENTENCES)]}</a></li>'
                      for k in range(1, 9))
    day = 1 + n % 28
    html = (f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title} | موقع {host}</title>'
            f'<meta property="og:site_name" content="موقع {host}"><meta property="article:published_time"'
            f' content="2026-03-{day:02d}T09:{n % 60:02d}:00+03:00"></head><body><header><ul>{menu}</ul></header>'
            f'<main><article><h1>{title}</h1><div class="byline">كتب: محرر {host}</div>'
            f'<time datetime="2026-03-{day:02d}">{day} مارس 2026</time><div class="entry-content">{"".join(paragraphs)}</div>'
            f'</article><aside><h3>اقرأ أيضاً</h3><ul>{related}</ul></aside></main>'
            f"<footer>جميع الحقوق محفوظة © 2026</footer></body></html>")
    return html.encode("utf-8")


def sitemap(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<url><loc>{base}{p}</loc><lastmod>2026-03-{1 + i % 28:02d}</lastmod></url>" for i, p in enumerate(paths))
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{items}</urlset>").encode()


def respond(host: str, port: int, path: str, articles: int, frontier: int, query: str = "") -> tuple[int, str, bytes]:
    """The bench site's answer to one GET (``/big.xml?n=N``: an index of sitemaps listing N URLs)."""
    chunk = 50_000
    if query.startswith("n="):
        frontier = int(query[2:])
    base = f"http://{host}:{port}"
    index = int(host.rsplit(".", 1)[1])
    if path == "/robots.txt":
        return 200, "text/plain", f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap.xml\n".encode()
    if path == "/sitemap.xml":
        return 200, "application/xml", sitemap(base, [f"/news/{i}" for i in range(articles)])
    if path == "/big.xml":
        children = "".join(f"<sitemap><loc>{base}/big/{k}.xml?n={frontier}</loc></sitemap>"
                           for k in range((frontier + chunk - 1) // chunk))
        return 200, "application/xml", (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/'
                                        f'schemas/sitemap/0.9">{children}</sitemapindex>').encode()
    if path.startswith("/big/"):
        k = int(path[5:-4])
        return 200, "application/xml", sitemap(base, [f"/far/{k}/{j}" for j in range(k * chunk, min(frontier, (k + 1) * chunk))])
    if path.startswith(("/news/", "/far/")):
        return 200, "text/html; charset=utf-8", page(index, int(path.rsplit("/", 1)[1]))
    return 404, "text/html", b"<html><body>not here</body></html>"


def serve(addresses: list[str], port: int, articles: int, frontier: int) -> None:
    """The bench's site, in its own process: a bare HTTP/1.1 server on asyncio (keep-alive, GET only),
    several times faster than a framework's, so that the site is not what is measured."""
    import asyncio

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, p = writer.get_extra_info("sockname")[:2]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line = head.split(b"\r\n", 1)[0].decode("latin-1").split()
                path, _, query = (line[1] if len(line) > 1 else "/").partition("?")
                status, ctype, body = respond(host, p, path, articles, frontier, query)
                close = b"connection: close" in head.lower()
                writer.write(f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\nContent-Type: {ctype}\r\n"
                             f"Content-Length: {len(body)}\r\n{'Connection: close' if close else 'Connection: keep-alive'}"
                             f"\r\n\r\n".encode() + body)
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, address, port, reuse_address=True) for address in addresses]
        await asyncio.gather(*(server.serve_forever() for server in servers))

    asyncio.run(main())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_CHILD = """
import json, resource, sys, time
from marsad.cli import main
start = time.perf_counter()
rc = main(sys.argv[1:])
print(json.dumps({"rc": rc, "wall": time.perf_counter() - start,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), file=sys.stderr)
"""

_TRAFILATURA = """
import json, resource, sys, time
import trafilatura
from trafilatura.settings import use_config
config = use_config()
config["DEFAULT"]["SSRF_PROTECTION"] = "off"  # the bench's site is on loopback addresses, which it refuses by default
urls = [line.strip() for line in open(sys.argv[1])]
start = time.perf_counter()
ok = sum(1 for url in urls if trafilatura.fetch_url(url, config=config))
print(json.dumps({"pages": ok, "wall": time.perf_counter() - start,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def marsad(*args: str) -> tuple[dict, dict]:
    """Run a marsad command in a child process: its JSON output (if any) and its timing."""
    done = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True, text=True, check=False)
    timing = json.loads(done.stderr.strip().splitlines()[-1])
    if timing["rc"] != 0:
        raise SystemExit(f"marsad {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
    return out, timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--frontier", type=int, default=0, help="also measure memory for a frontier this large")
    parser.add_argument("--enrich-sample", type=int, default=500)
    parser.add_argument("--skip-trafilatura", action="store_true")
    parser.add_argument("--serve", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        port, *addresses = args.serve
        serve(addresses, int(port), args.articles, args.frontier)
        return

    addresses = [f"127.0.0.{2 + i}" for i in range(args.hosts + (1 if args.frontier else 0))]
    port = _free_port()
    server = subprocess.Popen([sys.executable, __file__, "--articles", str(args.articles), "--frontier",
                               str(args.frontier), "--serve", str(port), *addresses])
    try:
        for address in addresses:
            for _ in range(100):
                try:
                    socket.create_connection((address, port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
        with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
            run(args, addresses, port, Path(tmp))
    finally:
        server.terminate()
        server.wait()


def run(args: argparse.Namespace, addresses: list[str], port: int, tmp: Path) -> None:
    hosts = addresses[: args.hosts]
    seeds = [f"http://{a}:{port}/sitemap.xml" for a in hosts]
    common = ["--allow-private", "--delay", "0", "--no-ingest", "--json", "--no-progress"]
    report, timing = marsad("crawl", *seeds, "--archive", str(tmp / "a.db"), "--warc-dir", str(tmp / "warc"),
                            "--concurrency", str(len(hosts)), *common)
    pages = report["pages"]
    warc_mb = sum(p.stat().st_size for p in (tmp / "warc").glob("*.warc.gz")) / 1e6
    print(f"marsad crawl: {pages} pages in {report['seconds']:.1f}s = {pages / report['seconds']:.0f} pages/s"
          f" ({report['requests']} requests, errors {report['errors']}); {warc_mb:.0f} MB of WARC;"
          f" process {timing['wall']:.1f}s, peak {timing['maxrss_mb']:.0f} MB")

    warcs = sorted(str(p) for p in (tmp / "warc").glob("*.warc.gz"))
    _, ingest = marsad("ingest", *warcs, "--archive", str(tmp / "i.db"), "--no-enrich", "--no-progress")
    print(f"marsad ingest --no-enrich of that WARC: {pages} pages in {ingest['wall']:.1f}s"
          f" = {pages / ingest['wall']:.0f} pages/s, peak {ingest['maxrss_mb']:.0f} MB")
    if args.enrich_sample:
        sample = [f"http://{hosts[0]}:{port}/news/{i}" for i in range(min(args.enrich_sample, args.articles))]
        one = tmp / "sample"
        report2, _ = marsad("crawl", f"http://{hosts[0]}:{port}/sitemap.xml", "--archive", str(tmp / "s.db"),
                            "--warc-dir", str(one), "--max-pages", str(len(sample)), *common)
        sample_warcs = sorted(str(p) for p in one.glob("*.warc.gz"))
        _, enriched = marsad("ingest", *sample_warcs, "--archive", str(tmp / "e.db"), "--no-progress")
        print(f"marsad ingest (with enrichment) of {report2['pages']} pages: {enriched['wall']:.1f}s"
              f" = {report2['pages'] / enriched['wall']:.1f} pages/s")

    if not args.skip_trafilatura:
        urls = tmp / "urls.txt"
        urls.write_text("".join(f"http://{a}:{port}/news/{i}\n" for a in hosts for i in range(args.articles)))
        done = subprocess.run([sys.executable, "-c", _TRAFILATURA, str(urls)], capture_output=True, text=True, check=True)
        base = json.loads(done.stdout)
        rate = base["pages"] / base["wall"]
        print(f"trafilatura fetch_url loop: {base['pages']} pages in {base['wall']:.1f}s = {rate:.0f} pages/s"
              f" (no WARC, no robots.txt); marsad/trafilatura: {pages / report['seconds'] / rate:.2f}x")

    if args.frontier:
        big = addresses[-1]
        sizes = sorted({10_000, 100_000, args.frontier})
        for size in sizes:
            name = f"f{size}"
            report3, timing3 = marsad("crawl", f"http://{big}:{port}/big.xml?n={size}", "--archive", str(tmp / f"{name}.db"),
                                      "--warc-dir", str(tmp / name), "--max-pages", "2000", "--concurrency", "1", *common)
            frontier = sum(s["new"] for s in report3["sources"].values())
            print(f"frontier of {frontier} URLs: listings read and 2000 pages fetched in {timing3['wall']:.1f}s"
                  f" (pages {report3['seconds']:.1f}s of it in the crawl), peak memory {timing3['maxrss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
