META
key;value
description;pabutools tests/test_rule.py AppEx_2: MES with Cost_Sat and voter_budget_increment funds p0 p1 p2
budget;4
vote_type;approval
PROJECTS
project_id;cost
p0;1
p1;0.9
p2;2
p3;1.09
VOTES
voter_id;vote
1;p0
2;p1,p2,p3
3;p1,p2,p3
4;p2
