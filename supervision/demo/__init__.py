"""Demo data: three years of a plausible province, reproducible from a seed (``manage.py seed_demo``).

Everything follows from the seed and the current date in Asia/Shanghai, so two runs on the same
day with the same seed store the same rows. The story the data tell:

- porting and complaints rise around the Spring Festival and in September, and grow slowly;
- China Unicom (CUCC) has a complaint spike in Weifang (潍坊市) in the last three complete
  months, in category BL1 (obstruction), with rectification orders and an interview about it,
  and an open incident in the same city now;
- the last complete month is not finished: CMCC on time, CUCC late, CTCC returned, CBN missing.

The parts, each about one domain:

- ``province``: the operators, the cities, the seasons, and the plan (every monthly figure, no
  database);
- ``accounts``: one log-in per role and operator, the operators' task forces;
- ``reporting``: the monthly reports, their figures and the complaint ledger, written in bulk
  (a million complaints in minutes), and the incidents;
- ``casework``: inspection findings, rectification orders (deadlines, extensions, reports),
  interviews and their commitments, told through the casework services;
- ``meetings``: the monthly consultation meetings, told through the meetings services;
- ``base``: what they share, among it the clock each step of the story runs at;
- ``seeding``: ``seed``, the whole of it in one transaction.

This app is the top of the stack: it imports every other app and none imports it.
"""
