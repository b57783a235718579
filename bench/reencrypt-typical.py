# The typical hand-written rotation script (the Python peer of `keyturn reencrypt run`): psycopg2, keyset batches of
# 1,000, execute_values, MultiFernet.rotate, one commit per batch. Reads {dsn, table, new, old} as JSON on stdin and
# prints {"rows": N, "seconds": S} for the loop alone (connect excluded).
import json
import sys
import time

import psycopg2
from cryptography.fernet import Fernet, MultiFernet
from psycopg2.extras import execute_values

cfg = json.load(sys.stdin)
table = cfg["table"]
mf = MultiFernet([Fernet(cfg["new"]), Fernet(cfg["old"])])
conn = psycopg2.connect(cfg["dsn"])
cur = conn.cursor()
start = time.perf_counter()
last, n = 0, 0
while True:
    cur.execute(f"SELECT id, email, ssn FROM {table} WHERE id > %s ORDER BY id LIMIT 1000", (last,))
    rows = cur.fetchall()
    if not rows:
        break
    values = [(i, mf.rotate(e.encode()).decode(), mf.rotate(s.encode()).decode()) for i, e, s in rows]
    execute_values(
        cur,
        f"UPDATE {table} AS t SET email = v.email, ssn = v.ssn FROM (VALUES %s) AS v(id, email, ssn) WHERE t.id = v.id",
        values,
        page_size=1000,
    )
    conn.commit()
    last = rows[-1][0]
    n += len(rows)
print(json.dumps({"rows": n, "seconds": time.perf_counter() - start}))
