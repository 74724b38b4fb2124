"""Following the news: sources' feeds, sitemaps and pages fetched politely into WARC, then ingested.

    run.py        the jobs: ``sources add``, ``crawl``, ``watch``
    crawler.py    one crawl: listings read, then the frontier fetched, many hosts at once
    politeness.py one request at a time per host, the delay between two, robots.txt
    fetch.py      one URL fetched safely (timeouts, retries, redirects, size caps, private addresses)
    listings.py   feeds, sitemaps and a page's links to articles
    warcs.py      the WARC files written, and recovered after a kill

What the crawler follows and where it stands lives in the archive (:mod:`marsad.archive.crawl_state`).
"""
