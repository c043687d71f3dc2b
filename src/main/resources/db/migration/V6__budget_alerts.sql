-- Budget alerts (issue 10, point 4): the budgets sync tells admins when a budget crosses its soft limit or its
-- hard limit, when its spend was reset, and when a reset is overdue. Each crossing is sent once, however many
-- syncs, instances or restarts see it, so what was already said is remembered here, in the database every
-- instance shares, and changed only inside the sync's apply transaction (a dry run or a failed run leaves it).
--
-- budget_alert_state: what the last sync that evaluated a budget saw and said. Kept apart from the budget row
--   so that remembering never rewrites a budget (its updated_at, xmin and the writers' guards stay the
--   sync's and the mutations' business), and a mutation's change of spend is no reset the sync misses: the
--   next sync compares with what the previous sync saw, not with what is stored.
--   soft_reached / exhausted: SOFT_LIMIT_REACHED / EXHAUSTED was sent for the current crossing; cleared (re-armed)
--     when the spend is below the limit again, or the limit is gone, or the spend was reset.
--   observed_spend: the spend the last evaluating sync saw; a lower spend later is a reset.
--   overdue_for: the resetAt value an overdue RESET alert was sent for, so that each missed reset is told once.
CREATE TABLE budget_alert_state (
    budget_id      uuid            PRIMARY KEY REFERENCES budget (id) ON DELETE CASCADE,
    soft_reached   boolean         NOT NULL DEFAULT false,
    exhausted      boolean         NOT NULL DEFAULT false,
    observed_spend numeric(30, 12) NOT NULL,
    overdue_for    timestamptz,
    updated_at     timestamptz     NOT NULL DEFAULT now()
);

-- budget_alert: every alert sent, in the order sent. seq orders them and is each instance's delivery cursor: the
--   NOTIFY on hub_budget_alerts only wakes the instances, which then read the rows after the last seq they
--   delivered, so a lost or doubled notification never loses or repeats an alert. The sync takes a
--   transaction-scoped advisory lock before it writes alerts, so seq values are committed in ascending order
--   (a reader never sees seq n+1 before n). The limits and spend are copied as the sync saw them; the budget
--   itself is read when the alert is delivered (tombstoned rows too). Rows go with their budget when a tombstone
--   is purged, and with their run.
CREATE TABLE budget_alert (
    id          uuid            PRIMARY KEY DEFAULT gen_random_uuid(),
    seq         bigint          GENERATED ALWAYS AS IDENTITY UNIQUE,
    budget_id   uuid            NOT NULL REFERENCES budget (id) ON DELETE CASCADE,
    run_id      uuid            NOT NULL REFERENCES sync_run (id) ON DELETE CASCADE,
    kind        text            NOT NULL CHECK (kind IN ('SOFT_LIMIT_REACHED', 'EXHAUSTED', 'RESET')),
    overdue     boolean         NOT NULL DEFAULT false CHECK (NOT overdue OR kind = 'RESET'),
    spend       numeric(30, 12) NOT NULL,
    max_budget  numeric(30, 12),
    soft_budget numeric(30, 12),
    reset_at    timestamptz,
    at          timestamptz     NOT NULL
);
CREATE INDEX budget_alert_budget_idx ON budget_alert (budget_id);
CREATE INDEX budget_alert_run_idx ON budget_alert (run_id);
