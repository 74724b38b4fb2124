"""Query latency over a mix of 300 queries drawn from an archive's own headlines (p50/p95/max).

    python bench/bench_search_latency.py build/ant.db

1-3 content words of a headline; 10% quoted phrases, some OR and prefix queries, 10% with a date
range, 10% sorted by date; 20 warm-up queries first; times in-process with Archive.search.
"""
import random, sqlite3, statistics, sys, time
from datetime import date
from marsad.archive import Archive
path=sys.argv[1]
a=Archive(path)
rng=random.Random(1)
titles=[t for (t,) in a.db.execute("SELECT title FROM articles WHERE title IS NOT NULL ORDER BY random() LIMIT 2000")]
stop=set("في من على إلى الى عن مع أن ان بعد قبل بين هل ما لا و أو او".split())
qs=[]
for t in titles:
    w=[x for x in t.split() if x not in stop and len(x)>2]
    if len(w)<3: continue
    k=rng.choice([1,2,2,3,3])
    i=rng.randrange(0,len(w)-k+1)
    q=" ".join(w[i:i+k])
    r=rng.random()
    opts={}
    if r<0.1: q='"'+q+'"'
    elif r<0.15 and k>=2: q=q.replace(" "," OR ",1)
    elif r<0.2: q=w[i][:4]+"*"
    if rng.random()<0.1: opts=dict(date_from=date(2018,4,1), date_to=date(2018,6,30))
    if rng.random()<0.1: opts["sort"]="date"
    qs.append((q,opts))
    if len(qs)>=300: break
for q,o in qs[:20]: a.search(q,**o)
ts=[]
for q,o in qs:
    t=time.perf_counter(); a.search(q,**o); ts.append((time.perf_counter()-t)*1000)
ts.sort()
print(f"{len(ts)} queries: p50 {ts[len(ts)//2]:.1f} ms, p95 {ts[int(len(ts)*0.95)]:.1f} ms, max {ts[-1]:.1f} ms")
