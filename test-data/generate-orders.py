#!/usr/bin/env python3
"""Writes the orders datasets in this directory (deterministic: the same files every run).

orders.ndjson  2,000 events over 300 order streams (orders/<id>) and 40 customer streams
               (customers/<id>), types OrderPlaced, ItemAdded, OrderPaid, OrderShipped,
               OrderCancelled, CustomerRegistered; each line names its stream, so
               `esctl append < orders.ndjson` appends them as one atomic multi-stream batch.
orders.csv     100 rows: order_id,customer,total,placed_at (for examples/import-csv.sh).
"""
import json, random, datetime

random.seed(20261126)
start = datetime.datetime(2026, 11, 1, 9, 0, 0)
skus = ["A1", "B2", "C3", "D4", "E5", "F6"]
events = []
for c in range(40):
    events.append({"stream": f"customers/{c}", "type": "CustomerRegistered",
                   "data": {"name": f"Customer {c}", "tier": random.choice(["basic", "gold"])}})
order = 0
while len(events) < 2000:
    oid, cust = order, random.randrange(40)
    order += 1
    s = f"orders/{oid}"
    items = [{"sku": random.choice(skus), "qty": random.randint(1, 3), "price": round(random.uniform(2, 40), 2)}
             for _ in range(random.randint(1, 4))]
    total = round(sum(i["qty"] * i["price"] for i in items), 2)
    events.append({"stream": s, "type": "OrderPlaced", "data": {"customer": cust, "total": total},
                   "meta": {"correlationId": f"c-{oid}"}})
    for it in items:
        events.append({"stream": s, "type": "ItemAdded", "data": it})
    fate = random.random()
    if fate < 0.1:
        events.append({"stream": s, "type": "OrderCancelled", "data": {"reason": "customer request"}})
        continue
    events.append({"stream": s, "type": "OrderPaid", "data": {"amount": total}})
    if fate < 0.8:
        events.append({"stream": s, "type": "OrderShipped", "data": {"carrier": random.choice(["dhl", "ups", "post"])}})
events = events[:2000]
with open("orders.ndjson", "w") as f:
    for e in events:
        f.write(json.dumps(e, separators=(",", ":"), ensure_ascii=False) + "\n")
with open("orders.csv", "w") as f:
    f.write("order_id,customer,total,placed_at\n")
    for i in range(100):
        t = start + datetime.timedelta(minutes=7 * i)
        f.write(f"{1000 + i},{random.randrange(40)},{round(random.uniform(5, 200), 2)},{t.isoformat()}Z\n")
