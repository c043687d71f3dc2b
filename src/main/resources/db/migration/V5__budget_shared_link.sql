-- A CUSTOMER budget that uses a SHARED budget (a LiteLLM budget row several customers, or none, use; or one
-- created as SHARED) names it here by its LiteLLM budget_id: the customer's limits are that row's. NULL for a
-- customer with a budget row of its own, and for every other scope. Written by the budgets sync and by the
-- budget mutations alike (LiteLLM owns the link: it is the customer's budget_id). The API shows it as
-- Budget.sharedBudgetId, the hub id of the live SHARED budget with that external id.
ALTER TABLE budget
    ADD COLUMN shared_budget_external_id text CHECK (shared_budget_external_id <> ''),
    ADD CONSTRAINT budget_shared_link_is_a_customer CHECK (shared_budget_external_id IS NULL OR scope = 'CUSTOMER');

-- Changing or deleting a SHARED budget finds the customers that use it.
CREATE INDEX budget_shared_link_idx ON budget (shared_budget_external_id) WHERE shared_budget_external_id IS NOT NULL;
