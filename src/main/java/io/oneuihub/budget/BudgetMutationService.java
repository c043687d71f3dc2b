package io.oneuihub.budget;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.oneuihub.budget.BudgetChange.Limits;
import io.oneuihub.catalog.RecordStatus;
import io.oneuihub.db.Values;
import io.oneuihub.db.WriteOrigin;
import io.oneuihub.graphql.DeletePayload;
import io.oneuihub.graphql.UpstreamWrites;
import io.oneuihub.graphql.UserError;
import io.oneuihub.litellm.BudgetRequest;
import io.oneuihub.litellm.CustomerRequest;
import io.oneuihub.litellm.LiteLlmBudget;
import io.oneuihub.litellm.LiteLlmClient;
import io.oneuihub.litellm.LiteLlmCustomer;
import io.oneuihub.litellm.LiteLlmException;
import io.oneuihub.litellm.LiteLlmException.Category;
import io.oneuihub.litellm.LiteLlmTeam;
import io.oneuihub.litellm.LiteLlmUser;
import io.oneuihub.litellm.TeamBudgetUpdate;
import io.oneuihub.litellm.UserBudgetUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.data.ArgumentValue;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * createBudget, updateBudget and deleteBudget, written through to LiteLLM: inputs are checked first, then (one
 * mutation per LiteLLM entity at a time, see {@link BudgetLocks}) LiteLLM is changed and what it reports after
 * the write is stored, through {@link BudgetWriter} and {@link BudgetRow}'s mappings, exactly as the budgets
 * sync would store it: the next sync finds nothing to change. When LiteLLM fails, refuses or does not answer
 * in time, the payload says so and nothing changes locally.
 */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class BudgetMutationService {

    private static final Logger log = LoggerFactory.getLogger(BudgetMutationService.class);

    private static final String MAY_APPLY = "LiteLLM may still apply the change: the next budgets sync will show whether it did.";
    private static final String NOT_SENT = "No change was sent to LiteLLM; nothing changed.";
    private static final int NAMED_CUSTOMERS = 20;

    private final LiteLlmClient litellm;
    private final UpstreamWrites upstream;
    private final BudgetWriter writer;
    private final BudgetRepository budgets;
    private final BudgetLocks locks;
    private final TransactionalOperator local;
    private final Clock clock;
    private final Duration rereadTimeout;

    public BudgetMutationService(LiteLlmClient litellm, UpstreamWrites upstream, BudgetWriter writer, BudgetRepository budgets,
            BudgetLocks locks, ReactiveTransactionManager transactions) {
        this.litellm = litellm;
        this.upstream = upstream;
        this.writer = writer;
        this.budgets = budgets;
        this.locks = locks;
        // A transaction of its own, begun after LiteLLM accepted: its now() stamps local_write_at (see V3), and
        // it must not join the transaction that holds the mutation's advisory lock.
        DefaultTransactionDefinition own = new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.local = TransactionalOperator.create(transactions, own);
        this.clock = Clock.systemUTC();
        // what is left of the request after the upstream deadline covers a re-read and the local transaction
        this.rereadTimeout = upstream.deadline().dividedBy(4);
    }

    // ================================================================== createBudget

    public Mono<BudgetPayload> create(CreateBudgetInput input) {
        BudgetChecks check = new BudgetChecks();
        BudgetScope scope = input.scope();
        String externalId = check.externalId(input.externalId());
        BudgetChange change = check.change(ArgumentValue.ofNullable(input.maxBudget()), ArgumentValue.ofNullable(input.softBudget()),
                ArgumentValue.ofNullable(input.duration()), ArgumentValue.ofNullable(input.tpmLimit()),
                ArgumentValue.ofNullable(input.rpmLimit()), ArgumentValue.ofNullable(input.maxParallelRequests()),
                ArgumentValue.ofNullable(input.modelBudgets()));
        String name = input.name() == null || input.name().isBlank() ? null : input.name().strip();
        UUID sharedId = null;
        if (name != null && scope != BudgetScope.CUSTOMER) {
            check.errors.add(UserError.invalid("Only a CUSTOMER budget takes a name (the customer's alias); a " + scope
                    + " budget is named after its LiteLLM " + (scope == BudgetScope.SHARED ? "budget id." : scope == BudgetScope.USER
                    ? "user (email, alias or id)." : "team (alias or id)."), "input", "name"));
        }
        if (input.sharedBudgetId() != null) {
            if (scope != BudgetScope.CUSTOMER) {
                check.errors.add(UserError.invalid("Only a CUSTOMER budget can use a SHARED budget.", "input", "sharedBudgetId"));
            } else if (change.anyValue()) {
                // LiteLLM answers 422 for max_budget with budget_id, and silently ignores budget_id with other limits
                check.errors.add(UserError.invalid("A customer either uses a SHARED budget or has limits of its own, not both.",
                        "input", "sharedBudgetId"));
            } else {
                sharedId = check.id(input.sharedBudgetId(), "sharedBudgetId");
            }
        } else if (scope == BudgetScope.CUSTOMER && !change.anyValue()) {
            check.errors.add(UserError.invalid("A CUSTOMER budget needs limits of its own or a sharedBudgetId.", "input", "sharedBudgetId"));
        }
        if ((scope == BudgetScope.USER || scope == BudgetScope.TEAM) && input.maxBudget() == null) {
            check.errors.add(UserError.invalid("A " + scope + " budget needs a maxBudget: LiteLLM has no " + scope.name().toLowerCase(java.util.Locale.ROOT)
                    + " budget without one.", "input", "maxBudget"));
        }
        if (scope == BudgetScope.USER && input.softBudget() != null) {
            check.errors.add(userHasNoSoftBudget());
        }
        if (!check.ok()) {
            return Mono.just(BudgetPayload.refused(check.errors));
        }
        Limits limits = change.applyTo(Limits.NONE);
        UUID tierId = sharedId;
        Mono<String> tier = tierId == null ? Mono.just("") : sharedExternalId(tierId, "sharedBudgetId");
        return tier.flatMap(tierExternalId -> {
                    List<String> keys = new ArrayList<>(List.of(BudgetRow.key(scope, externalId)));
                    if (!tierExternalId.isEmpty()) {
                        keys.add(BudgetRow.key(BudgetScope.SHARED, tierExternalId));
                    }
                    return locks.serialized(keys, writer.find(scope, externalId)
                            .map(Present::of).defaultIfEmpty(Present.none())
                            .flatMap(existing -> {
                                if (existing.value() != null && existing.value().row().status() == RecordStatus.ACTIVE) {
                                    return refused(UserError.conflict("The hub already has this " + scope + " budget; change it with updateBudget.",
                                            "input", "externalId"));
                                }
                                UUID id = existing.value() == null ? UUID.randomUUID() : existing.value().row().id();
                                String link = tierExternalId.isEmpty() ? null : tierExternalId;
                                return (link == null ? Mono.<Void>empty() : requireShared(tierId, "sharedBudgetId"))
                                        .then(createUpstream(scope, id, externalId, name, limits, link))
                                        .flatMap(rows -> store(rows, id));
                            }));
                })
                .onErrorResume(Refused.class, r -> Mono.just(BudgetPayload.refused(r.errors)))
                .onErrorResume(BudgetLocks::timedOut, e -> Mono.just(BudgetPayload.refused(busy())));
    }

    private Mono<LocalWrite> createUpstream(BudgetScope scope, UUID id, String externalId, String name, Limits limits, String link) {
        String op = "createBudget";
        AtomicBoolean sent = new AtomicBoolean();
        return switch (scope) {
            case SHARED -> {
                BudgetRequest request = request(externalId, limits, null);
                Mono<LocalWrite> created = upstream.bounded(Mono.defer(() -> {
                    sent.set(true);
                    return litellm.createBudget(request);
                }), op).map(b -> LocalWrite.of(BudgetRow.shared(id, b)));
                // our own id: a create that got no (readable) answer is looked up before giving up
                yield reread(created, sent, () -> litellm.budget(externalId).map(b -> LocalWrite.of(BudgetRow.shared(id, b))),
                        "externalId");
            }
            case CUSTOMER -> {
                CustomerRequest customer = new CustomerRequest(externalId, name, link, null, null, null);
                Mono<LiteLlmCustomer> write = litellm.customer(externalId).map(Optional::of)
                        .onErrorResume(notFound(), e -> Mono.just(Optional.empty()))
                        .flatMap(found -> {
                            if (found.isEmpty()) {
                                sent.set(true);
                                return link != null ? litellm.createCustomer(customer)
                                        : litellm.createCustomer(customer, request(null, limits, null));
                            }
                            if (found.get().budgetId() != null) {
                                return refused(UserError.conflict("LiteLLM customer '" + externalId + "' already has a budget ('"
                                        + found.get().budgetId() + "'): run a budgets sync and change it with updateBudget.",
                                        "input", "externalId"));
                            }
                            // a customer LiteLLM created on its first request, without a budget: give it one
                            return link != null ? relink(externalId, name, link, sent)
                                    : ownBudgetRow(externalId, name, limits, sent).map(Own::customer);
                        });
                Mono<LocalWrite> created = upstream.bounded(write.flatMap(c -> customerRow(id, c, link)), op);
                yield reread(created, sent, () -> litellm.customer(externalId).flatMap(c -> customerRow(id, c, link)), "externalId");
            }
            case USER -> upstream.bounded(litellm.user(externalId)
                            .onErrorMap(notFound(), e -> refusal(UserError.notFound("LiteLLM has no user '" + externalId + "'.",
                                    "input", "externalId")))
                            .flatMap(u -> {
                                if (u.maxBudget() != null) {
                                    return refused(alreadyLimited("user", externalId, u.maxBudget()));
                                }
                                sent.set(true);
                                return litellm.updateUser(new UserBudgetUpdate(externalId, limits.maxBudget(), limits.duration(),
                                        limits.tpmLimit(), limits.rpmLimit(), limits.maxParallelRequests(), null, limits.modelBudgets()));
                            })
                            .flatMap(u -> u.maxBudget() == null ? refused(notStored("user")) : Mono.just(LocalWrite.of(BudgetRow.user(id, u)))), op)
                    .onErrorResume(LiteLlmException.class, e -> failed(e, sent, null, "externalId"));
            case TEAM -> upstream.bounded(litellm.team(externalId)
                            .onErrorMap(notFound(), e -> refusal(UserError.notFound("LiteLLM has no team '" + externalId + "'.",
                                    "input", "externalId")))
                            .flatMap(t -> {
                                if (t.maxBudget() != null) {
                                    return refused(alreadyLimited("team", externalId, t.maxBudget()));
                                }
                                // limits not given stay as the team has them (a team can have rpm/tpm without a budget)
                                BudgetChange given = new BudgetChange(ArgumentValue.ofNullable(limits.maxBudget()),
                                        present(limits.softBudget()), present(limits.duration()), present(limits.tpmLimit()),
                                        present(limits.rpmLimit()), present(limits.maxParallelRequests()),
                                        limits.modelBudgets().isEmpty() ? ArgumentValue.omitted() : ArgumentValue.ofNullable(limits.modelBudgets()));
                                sent.set(true);
                                return litellm.updateTeam(teamUpdate(externalId, given, t));
                            })
                            .flatMap(t -> t.maxBudget() == null ? refused(notStored("team")) : Mono.just(LocalWrite.of(BudgetRow.team(id, t)))), op)
                    .onErrorResume(LiteLlmException.class, e -> failed(e, sent, null, "externalId"));
        };
    }

    /** A customer as stored: LiteLLM's customer and the budget row it uses (as the sync reads it). */
    private Mono<LocalWrite> customerRow(UUID id, LiteLlmCustomer c, String link) {
        return limitsOf(c).map(b -> LocalWrite.of(BudgetRow.customer(id, c, b, link)));
    }

    private Mono<LiteLlmBudget> limitsOf(LiteLlmCustomer c) {
        if (c.budgetId() == null) {
            return refused(new UserError(null, "LiteLLM shows customer '" + c.id() + "' without a budget.", "UPSTREAM_REJECTED"));
        }
        // the sync takes a customer's limits from its budget row, read in full: so do we
        return litellm.budget(c.budgetId());
    }

    // ================================================================== updateBudget

    public Mono<BudgetPayload> update(UpdateBudgetInput input) {
        BudgetChecks check = new BudgetChecks();
        UUID id = check.id(input.id(), "id");
        BudgetChange change = check.change(input.maxBudget(), input.softBudget(), input.duration(), input.tpmLimit(),
                input.rpmLimit(), input.maxParallelRequests(), input.modelBudgets());
        ArgumentValue<String> link = input.sharedBudgetId();
        UUID tierId = link.value() == null ? null : check.id(link.value(), "sharedBudgetId");
        if (!check.ok()) {
            if (id == null) {
                return Mono.just(BudgetPayload.refused(check.errors));
            }
            // every error at once: also those that depend on the stored budget (nothing is sent to LiteLLM)
            return stored(id).map(s -> {
                        List<UserError> all = new ArrayList<>(check.errors);
                        Set<List<String>> named = new HashSet<>();
                        all.forEach(e -> named.add(e.field()));
                        scopeErrors(s.row(), change, link).stream().filter(e -> !named.contains(e.field())).forEach(all::add);
                        return BudgetPayload.refused(all);
                    })
                    .onErrorResume(Refused.class, r -> Mono.just(BudgetPayload.refused(check.errors)));
        }
        Mono<String> tier = tierId == null ? Mono.just("") : sharedExternalId(tierId, "sharedBudgetId");
        return Mono.zip(stored(id), tier)
                .flatMap(found -> {
                    BudgetRow seen = found.getT1().row();
                    Set<String> keys = new LinkedHashSet<>(List.of(seen.key()));
                    if (seen.sharedBudgetExternalId() != null) {
                        keys.add(BudgetRow.key(BudgetScope.SHARED, seen.sharedBudgetExternalId()));
                    }
                    if (!found.getT2().isEmpty()) {
                        keys.add(BudgetRow.key(BudgetScope.SHARED, found.getT2()));
                    }
                    return locks.serialized(keys, stored(id).flatMap(s -> {
                        if (input.expectedUpdatedAt() != null && !input.expectedUpdatedAt().isEqual(s.updatedAt())) {
                            return refused(UserError.conflict("The budget changed after expectedUpdatedAt; read it again and retry.",
                                    "input", "expectedUpdatedAt"));
                        }
                        return updateChecked(s.row(), change, link, tierId, found.getT2());
                    }));
                })
                .onErrorResume(Refused.class, r -> Mono.just(BudgetPayload.refused(r.errors)))
                .onErrorResume(BudgetLocks::timedOut, e -> Mono.just(BudgetPayload.refused(busy())));
    }

    /** The checks of an update that depend on the budget's scope and stored limits. */
    private static List<UserError> scopeErrors(BudgetRow s, BudgetChange change, ArgumentValue<String> link) {
        BudgetChecks check = new BudgetChecks();
        if (!link.isOmitted() && s.scope() != BudgetScope.CUSTOMER) {
            check.errors.add(UserError.invalid("Only a CUSTOMER budget can use a SHARED budget.", "input", "sharedBudgetId"));
        }
        if (s.scope() == BudgetScope.CUSTOMER) {
            if (link.value() != null && change.any()) {
                check.errors.add(UserError.invalid("A customer either uses a SHARED budget or has limits of its own, not both.",
                        "input", "sharedBudgetId"));
            } else if (link.isOmitted() && s.sharedBudgetExternalId() != null && change.any()) {
                check.errors.add(UserError.invalid("This customer uses the SHARED budget '" + s.sharedBudgetExternalId()
                        + "': change that budget, or pass sharedBudgetId: null to give the customer limits of its own.",
                        "input", "sharedBudgetId"));
            }
        }
        if (!check.ok()) {
            return check.errors; // the limits given do not apply to this budget at all
        }
        check.softUnderMax(change, s.maxBudget(), s.softBudget());
        switch (s.scope()) {
            case USER -> {
                if (!change.maxBudget().isOmitted() && change.maxBudget().value() == null) {
                    check.errors.add(cannotClearMax("user"));
                }
                if (change.softBudget().value() != null) {
                    check.errors.add(userHasNoSoftBudget());
                }
                // LiteLLM's /user/update drops nulls (but max_budget's) and empty objects: these cannot be cleared there
                uncleared(check, change.duration(), s.duration(), "duration");
                uncleared(check, change.tpmLimit(), s.tpmLimit(), "tpmLimit");
                uncleared(check, change.rpmLimit(), s.rpmLimit(), "rpmLimit");
                uncleared(check, change.maxParallelRequests(), s.maxParallelRequests(), "maxParallelRequests");
                if (!change.modelBudgets().isOmitted() && (change.modelBudgets().value() == null || change.modelBudgets().value().isEmpty())
                        && !s.modelBudgets().isEmpty()) {
                    check.errors.add(UserError.invalid("LiteLLM's /user/update cannot remove a user's per-model budgets.",
                            "input", "modelBudgets"));
                }
            }
            case TEAM -> {
                if (!change.maxBudget().isOmitted() && change.maxBudget().value() == null) {
                    check.errors.add(cannotClearMax("team"));
                }
            }
            case CUSTOMER, SHARED -> {
            }
        }
        return check.errors;
    }

    private Mono<BudgetPayload> updateChecked(BudgetRow s, BudgetChange change, ArgumentValue<String> link, UUID tierId, String tier) {
        List<UserError> errors = scopeErrors(s, change, link);
        if (!errors.isEmpty()) {
            return Mono.just(BudgetPayload.refused(errors));
        }
        boolean relink = s.scope() == BudgetScope.CUSTOMER && !link.isOmitted()
                && !Objects.equals(link.value() == null ? null : tier, s.sharedBudgetExternalId());
        if (!change.any() && !relink) {
            return budgets.findById(s.id()).map(BudgetPayload::of); // nothing to change: nothing is sent
        }
        Mono<Void> tierLive = tierId == null ? Mono.empty() : requireShared(tierId, "sharedBudgetId");
        return tierLive.then(updateUpstream(s, change, relink ? (link.value() == null ? "" : tier) : null))
                .flatMap(rows -> store(rows, s.id()));
    }

    /**
     * LiteLLM's part of an update. {@code relinkTo}: null = the customer's link stays, "" = own limits from now on,
     * else the SHARED budget id to link.
     */
    private Mono<LocalWrite> updateUpstream(BudgetRow s, BudgetChange change, String relinkTo) {
        String op = "updateBudget";
        AtomicBoolean sent = new AtomicBoolean();
        String ext = s.externalId();
        Mono<LocalWrite> work = switch (s.scope()) {
            case SHARED -> litellm.budget(ext).onErrorMap(notFound(), e -> goneUpstream("budget", ext))
                    .flatMap(current -> {
                        Limits merged = change.applyTo(limits(current));
                        softAboveMax(merged);
                        sent.set(true);
                        return litellm.updateBudget(request(ext, merged, resetAt(current.duration(), merged.duration())));
                    })
                    .flatMap(b -> linkedCustomers(ext).map(linked -> {
                        List<BudgetRow> rows = new ArrayList<>(List.of(BudgetRow.shared(s.id(), b)));
                        // customers on this tier show its limits: the next sync would copy the new ones to them too
                        linked.forEach(c -> rows.add(withTierLimits(c.row(), b)));
                        return new LocalWrite(rows, List.of(), List.of());
                    }));
            case CUSTOMER -> updateCustomer(s, change, relinkTo, sent);
            case USER -> litellm.user(ext).onErrorMap(notFound(), e -> goneUpstream("user", ext))
                    .flatMap(u -> {
                        Limits merged = change.applyTo(limits(u));
                        // sending the same duration again would restart the user's period
                        String duration = Objects.equals(merged.duration(), Values.duration(u.duration())) ? null : merged.duration();
                        List<ModelBudget> perModel = change.modelBudgets().isOmitted() ? List.of() : merged.modelBudgets();
                        sent.set(true);
                        return litellm.updateUser(new UserBudgetUpdate(ext, merged.maxBudget(), duration,
                                given(change.tpmLimit()), given(change.rpmLimit()), given(change.maxParallelRequests()), null, perModel));
                    })
                    .flatMap(u -> u.maxBudget() == null ? refused(notStored("user")) : Mono.just(LocalWrite.of(BudgetRow.user(s.id(), u))));
            case TEAM -> litellm.team(ext).onErrorMap(notFound(), e -> goneUpstream("team", ext))
                    .flatMap(t -> {
                        softAboveMax(change.applyTo(limits(t)));
                        sent.set(true);
                        return litellm.updateTeam(teamUpdate(ext, change, t));
                    })
                    .flatMap(t -> t.maxBudget() == null ? refused(notStored("team")) : Mono.just(LocalWrite.of(BudgetRow.team(s.id(), t))));
        };
        return upstream.bounded(work, op).onErrorResume(LiteLlmException.class, e -> failed(e, sent, null, null));
    }

    private Mono<LocalWrite> updateCustomer(BudgetRow s, BudgetChange change, String relinkTo, AtomicBoolean sent) {
        String ext = s.externalId();
        Mono<LiteLlmCustomer> customer = litellm.customer(ext).onErrorMap(notFound(), e -> goneUpstream("customer", ext));
        if (relinkTo != null && !relinkTo.isEmpty()) {
            // onto a SHARED budget: one relink. A former own budget row stays in LiteLLM, unused: the sync then shows
            // it as a SHARED budget, so we store it as one now.
            return customer.flatMap(before -> relink(ext, null, relinkTo, sent)
                    .flatMap(after -> limitsOf(after).flatMap(tier -> {
                        List<BudgetRow> rows = new ArrayList<>(List.of(BudgetRow.customer(s.id(), after, tier, relinkTo)));
                        if (s.sharedBudgetExternalId() != null || before.budgetId() == null || before.budgetId().equals(relinkTo)) {
                            return Mono.just(new LocalWrite(rows, List.of(), List.of()));
                        }
                        return orphanedOwnRow(before.budgetId()).map(orphan -> {
                            orphan.ifPresent(rows::add);
                            return new LocalWrite(rows, List.of(), List.of());
                        });
                    })));
        }
        if (relinkTo != null && s.sharedBudgetExternalId() != null) {
            // off a SHARED budget: a new own budget row (the tier's limits, with the changes), then the relink
            String tier = s.sharedBudgetExternalId();
            return customer.flatMap(before -> litellm.budget(tier).flatMap(current -> {
                Limits merged = change.applyTo(limits(current));
                softAboveMax(merged);
                return ownBudgetRow(ext, null, merged, sent)
                        .map(own -> LocalWrite.of(BudgetRow.customer(s.id(), own.customer(), own.budget(), null)));
            }));
        }
        // own limits, changed in the customer's own budget row (/customer/update would drop 0 and budget_duration)
        return customer.flatMap(c -> {
            if (c.budgetId() == null) {
                return refused(UserError.conflict("LiteLLM shows customer '" + ext + "' without a budget now; run a budgets sync.",
                        "input", "id"));
            }
            return writer.find(BudgetScope.SHARED, c.budgetId()).hasElement().flatMap(shared -> {
                if (shared) {
                    return refused(UserError.conflict("In LiteLLM customer '" + ext + "' now uses the SHARED budget '" + c.budgetId()
                            + "'; run a budgets sync and read the budget again.", "input", "id"));
                }
                return litellm.budget(c.budgetId()).flatMap(current -> {
                    Limits merged = change.applyTo(limits(current));
                    softAboveMax(merged);
                    sent.set(true);
                    return litellm.updateBudget(request(c.budgetId(), merged, resetAt(current.duration(), merged.duration())));
                }).map(b -> LocalWrite.of(BudgetRow.customer(s.id(), c, b, null)));
            });
        });
    }

    /** A customer and the budget row it now uses. */
    private record Own(LiteLlmCustomer customer, LiteLlmBudget budget) {
    }

    /**
     * Gives an existing customer a budget row of its own: the row first (a new id of ours), then the link. If the
     * link fails the row is taken back (nobody uses it yet), so LiteLLM is left as it was.
     */
    private Mono<Own> ownBudgetRow(String customerId, String alias, Limits limits, AtomicBoolean sent) {
        String own = UUID.randomUUID().toString();
        sent.set(true);
        return litellm.createBudget(request(own, limits, null))
                .flatMap(created -> litellm.updateCustomer(new CustomerRequest(customerId, alias, own, null, null, null))
                        .onErrorResume(e -> litellm.deleteBudget(own)
                                .onErrorResume(cleanup -> {
                                    log.warn("Budget row {} was created for customer {} but could not be removed after the link failed: {}",
                                            own, customerId, cleanup.getMessage());
                                    return Mono.empty();
                                })
                                .then(Mono.error(e)))
                        .map(after -> new Own(after, created)));
    }

    /** Links an existing customer to a SHARED budget (LiteLLM reads the customer back). */
    private Mono<LiteLlmCustomer> relink(String customerId, String alias, String sharedBudget, AtomicBoolean sent) {
        sent.set(true);
        return litellm.updateCustomer(new CustomerRequest(customerId, alias, sharedBudget, null, null, null));
    }

    /** A customer's former own budget row as the sync will see it once no customer uses it: a SHARED budget. */
    private Mono<Optional<BudgetRow>> orphanedOwnRow(String budgetId) {
        return litellm.budget(budgetId)
                .map(b -> Optional.of(BudgetRow.shared(UUID.randomUUID(), b)))
                .onErrorResume(e -> {
                    log.info("Budget row {} left unused in LiteLLM could not be read ({}); the next budgets sync will list it",
                            budgetId, e.getMessage());
                    return Mono.just(Optional.empty());
                });
    }

    // ================================================================== deleteBudget

    public Mono<DeletePayload> delete(DeleteBudgetInput input) {
        BudgetChecks check = new BudgetChecks();
        UUID id = check.id(input.id(), "id");
        if (!check.ok()) {
            return Mono.just(DeletePayload.refused(check.errors));
        }
        boolean force = Boolean.TRUE.equals(input.force());
        return stored(id)
                .flatMap(seen -> locks.serialized(List.of(seen.row().key()), stored(id)
                        .flatMap(s -> deleteUpstream(s.row(), force))
                        .flatMap(rows -> storeDeletion(rows, id))))
                .onErrorResume(Refused.class, r -> Mono.just(DeletePayload.refused(r.errors)))
                .onErrorResume(BudgetLocks::timedOut, e -> Mono.just(DeletePayload.refused(List.of(busy()))));
    }

    private Mono<LocalWrite> deleteUpstream(BudgetRow s, boolean force) {
        String op = "deleteBudget";
        AtomicBoolean sent = new AtomicBoolean();
        String ext = s.externalId();
        Mono<LocalWrite> work = switch (s.scope()) {
            case SHARED -> litellm.customers().filter(c -> ext.equals(c.budgetId())).map(LiteLlmCustomer::id).collectList()
                    .flatMap(users -> {
                        if (!users.isEmpty() && !force) {
                            return refused(UserError.conflict(users.size() + (users.size() == 1 ? " customer uses" : " customers use")
                                    + " this budget in LiteLLM: " + names(users) + ". Deleting it leaves them without a budget"
                                    + " (unlimited); pass force: true to delete it anyway.", "input", "force"));
                        }
                        sent.set(true);
                        return litellm.deleteBudget(ext).then(Mono.just(true))
                                .onErrorResume(notFound(), e -> Mono.just(true)); // already gone: the delete's outcome
                    })
                    // LiteLLM unlinks the customers (budget_id = NULL): the sync marks their budgets STALE, so do we
                    .flatMap(done -> linkedCustomers(ext).map(linked -> new LocalWrite(List.of(), List.of(s.id()),
                            linked.stream().map(c -> c.row().id()).toList())));
            case CUSTOMER -> litellm.customer(ext)
                    .flatMap(c -> {
                        sent.set(true);
                        return litellm.deleteCustomers(List.of(ext)).thenReturn(Optional.ofNullable(c.budgetId()));
                    })
                    .onErrorResume(notFound(), e -> Mono.just(Optional.empty()))
                    .flatMap(ownRow -> {
                        // LiteLLM keeps the customer's own budget row; unused, the sync lists it as SHARED
                        if (s.sharedBudgetExternalId() != null || ownRow.isEmpty()) {
                            return Mono.just(new LocalWrite(List.of(), List.of(s.id()), List.of()));
                        }
                        return writer.find(BudgetScope.SHARED, ownRow.get()).hasElement().flatMap(shared -> shared
                                ? Mono.just(new LocalWrite(List.of(), List.of(s.id()), List.of()))
                                : orphanedOwnRow(ownRow.get()).map(orphan -> new LocalWrite(orphan.map(List::of).orElse(List.of()),
                                        List.of(s.id()), List.of())));
                    });
            case USER -> litellm.user(ext)
                    .flatMap(u -> {
                        sent.set(true);
                        // only max_budget can be cleared through /user/update: without it the user has no budget
                        return litellm.updateUser(new UserBudgetUpdate(ext, null, null, null, null, null, null));
                    })
                    .flatMap(u -> u.maxBudget() != null ? refused(new UserError(List.of("input", "id"),
                            "LiteLLM kept the user's max_budget: this LiteLLM build cannot clear it through /user/update.",
                            "UPSTREAM_REJECTED")) : Mono.just(gone(s)))
                    .onErrorResume(notFound(), e -> Mono.just(gone(s)));
            case TEAM -> litellm.team(ext)
                    .flatMap(t -> {
                        sent.set(true);
                        return litellm.updateTeam(new TeamBudgetUpdate(ext, null, null, null, null, null, null, true, List.of()));
                    })
                    .flatMap(t -> t.maxBudget() != null ? refused(new UserError(List.of("input", "id"),
                            "LiteLLM kept the team's max_budget.", "UPSTREAM_REJECTED")) : Mono.just(gone(s)))
                    .onErrorResume(notFound(), e -> Mono.just(gone(s)));
        };
        String hint = s.scope() == BudgetScope.SHARED
                ? "(An organization that uses the budget makes LiteLLM fail this way.)" : null;
        return upstream.bounded(work, op).onErrorResume(LiteLlmException.class, e -> failed(e, sent, hint, null));
    }

    private static LocalWrite gone(BudgetRow s) {
        return new LocalWrite(List.of(), List.of(s.id()), List.of());
    }

    // ================================================================== the local part

    /** What LiteLLM now holds, to store: rows to write (insert or update by key), to tombstone, to mark STALE. */
    record LocalWrite(List<BudgetRow> rows, List<UUID> deleted, List<UUID> stale) {

        static LocalWrite of(BudgetRow row) {
            return new LocalWrite(List.of(row), List.of(), List.of());
        }
    }

    /** Stores an accepted create or update in one transaction and answers the budget as stored. */
    private Mono<BudgetPayload> store(LocalWrite write, UUID id) {
        return local.transactional(apply(write).defaultIfEmpty(id).flatMap(budgets::findById))
                .map(BudgetPayload::of)
                .onErrorResume(e -> !(e instanceof Refused), e -> Mono.just(BudgetPayload.refused(notStored(e))));
    }

    private Mono<DeletePayload> storeDeletion(LocalWrite write, UUID id) {
        return local.transactional(apply(write).then())
                .thenReturn(DeletePayload.deleted(id))
                .onErrorResume(e -> !(e instanceof Refused), e -> Mono.just(DeletePayload.refused(List.of(notStored(e)))));
    }

    /** The writes, through the one budget writer, stamped as a mutation's; answers the id of the first row written. */
    private Mono<UUID> apply(LocalWrite write) {
        WriteOrigin mutation = WriteOrigin.mutation();
        return writer.markDeleted(write.deleted())
                .then(writer.markStale(write.stale(), mutation))
                .thenMany(Flux.fromIterable(write.rows()).concatMap(this::upsert))
                .collectList()
                .flatMap(ids -> ids.isEmpty() ? Mono.empty() : Mono.just(ids.get(0)));
    }

    /** Writes a row onto the live budget with its key, or inserts it (replacing a tombstone of that key). */
    private Mono<UUID> upsert(BudgetRow row) {
        WriteOrigin mutation = WriteOrigin.mutation();
        return writer.find(row.scope(), row.externalId())
                .flatMap(found -> writer.update(List.of(row.withId(found.row().id())), mutation).thenReturn(found.row().id()))
                .switchIfEmpty(Mono.defer(() -> writer.dropTombstone(row.scope(), row.externalId())
                        .then(writer.insert(List.of(row), mutation))
                        .flatMap(written -> written.contains(row.id()) ? Mono.just(row.id())
                                : Mono.error(new IllegalStateException("budget " + row.key() + " was not inserted")))));
    }

    private UserError notStored(Throwable e) {
        log.error("LiteLLM accepted a budget change, but storing it failed; the next budgets sync will store it", e);
        return new UserError(null, "LiteLLM accepted the change, but the hub could not store it (" + e.getClass().getSimpleName()
                + "). Nothing was recorded here: the next budgets sync stores what LiteLLM now holds. Do not repeat the change.",
                UserError.LOCAL_WRITE_FAILED);
    }

    // ================================================================== helpers

    private Mono<BudgetWriter.Stored> stored(UUID id) {
        return writer.find(id).switchIfEmpty(refused(UserError.notFound("No budget has this id.", "input", "id")));
    }

    /** The LiteLLM budget_id of a live SHARED hub budget, or a refusal naming the input. */
    private Mono<String> sharedExternalId(UUID id, String field) {
        return writer.find(id)
                .filter(s -> s.row().scope() == BudgetScope.SHARED)
                .map(s -> s.row().externalId())
                .switchIfEmpty(refused(UserError.notFound("No SHARED budget has this id.", "input", field)));
    }

    /** Under the lock: the SHARED budget is still there. */
    private Mono<Void> requireShared(UUID id, String field) {
        return sharedExternalId(id, field).then();
    }

    /** The live CUSTOMER budgets that use this SHARED budget. */
    private Mono<List<BudgetWriter.Stored>> linkedCustomers(String sharedExternalId) {
        return writer.linkedTo(sharedExternalId).collectList();
    }

    /** A customer on a tier as the sync maps it: its name and spend, the tier's limits. */
    private static BudgetRow withTierLimits(BudgetRow customer, LiteLlmBudget tier) {
        LiteLlmCustomer c = new LiteLlmCustomer(customer.externalId(), customer.name(), customer.spend(), tier.id(), tier, false, null, null);
        return BudgetRow.customer(customer.id(), c, tier, tier.id());
    }

    private static Limits limits(LiteLlmBudget b) {
        return new Limits(b.maxBudget(), b.softBudget(), Values.duration(b.duration()), b.tpmLimit(), b.rpmLimit(),
                b.maxParallelRequests(), b.modelBudgets());
    }

    private static Limits limits(LiteLlmUser u) {
        return new Limits(u.maxBudget(), null, Values.duration(u.duration()), u.tpmLimit(), u.rpmLimit(), u.maxParallelRequests(),
                u.modelBudgets());
    }

    private static Limits limits(LiteLlmTeam t) {
        return new Limits(t.maxBudget(), t.softBudget(), Values.duration(t.duration()), t.tpmLimit(), t.rpmLimit(),
                t.maxParallelRequests(), t.modelBudgets());
    }

    private static BudgetRequest request(String id, Limits l, OffsetDateTime resetAt) {
        return new BudgetRequest(id, l.maxBudget(), l.softBudget(), l.maxParallelRequests(), l.tpmLimit(), l.rpmLimit(),
                l.duration(), resetAt, l.modelBudgets());
    }

    /** A team's complete budget state: the change applied to what LiteLLM has now. */
    private static TeamBudgetUpdate teamUpdate(String teamId, BudgetChange change, LiteLlmTeam t) {
        Limits merged = change.applyTo(limits(t));
        // sending budget_duration makes LiteLLM restart the team's period: only when it changes
        boolean newDuration = !Objects.equals(merged.duration(), Values.duration(t.duration()));
        return new TeamBudgetUpdate(teamId, merged.maxBudget(), merged.softBudget(), merged.duration(), merged.tpmLimit(),
                merged.rpmLimit(), merged.maxParallelRequests(), newDuration,
                change.modelBudgets().isOmitted() ? null : merged.modelBudgets());
    }

    /**
     * LiteLLM's /budget/update does not move budget_reset_at when the duration changes: a new duration starts a
     * new period now (now + duration, as LiteLLM computes it for a customer's inline budget); an unchanged one
     * keeps the reset time (null = not sent).
     */
    private OffsetDateTime resetAt(String before, String after) {
        if (after == null || after.equals(Values.duration(before))) {
            return null;
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        if (after.equals("1mo")) {
            return now.plusMonths(1);
        }
        long n = Long.parseLong(after.substring(0, after.length() - 1));
        return switch (after.charAt(after.length() - 1)) {
            case 's' -> now.plusSeconds(n);
            case 'm' -> now.plusMinutes(n);
            case 'h' -> now.plusHours(n);
            case 'd' -> now.plusDays(n);
            default -> now.plusWeeks(n);
        };
    }

    private static void softAboveMax(Limits merged) {
        if (merged.maxBudget() != null && merged.softBudget() != null && merged.softBudget().compareTo(merged.maxBudget()) > 0) {
            throw refusal(UserError.invalid("softBudget (" + merged.softBudget().toPlainString() + ") would be above maxBudget ("
                    + merged.maxBudget().toPlainString() + ") as LiteLLM has them now.", "input", "softBudget"));
        }
    }

    /** A create that went out and got no readable answer: it carried our own id, so LiteLLM is asked whether it exists. */
    private Mono<LocalWrite> reread(Mono<LocalWrite> created, AtomicBoolean sent, java.util.function.Supplier<Mono<LocalWrite>> lookup,
            String field) {
        return created.onErrorResume(LiteLlmException.class, e -> {
            boolean unknownOutcome = sent.get() && (e.category() == Category.TIMEOUT || e.category() == Category.PROTOCOL
                    || (e.category() == Category.UNAVAILABLE && e.status() == 0));
            if (!unknownOutcome) {
                return failed(e, sent, null, field);
            }
            return lookup.get()
                    .timeout(rereadTimeout)
                    .onErrorResume(lookupFailed -> failed(e, sent, null, field));
        });
    }

    /** The payload's userError for a LiteLLM failure, saying what is known about the write. */
    private <T> Mono<T> failed(LiteLlmException e, AtomicBoolean sent, String hint, String field) {
        String code = io.oneuihub.graphql.UpstreamErrors.code(e);
        String afterwards = !sent.get() ? NOT_SENT
                : code.equals("UPSTREAM_UNAVAILABLE") ? MAY_APPLY : null;
        if (hint != null && sent.get() && code.equals("UPSTREAM_UNAVAILABLE")) {
            afterwards = hint + " " + afterwards;
        }
        UserError error = field == null ? upstream.userError(e, afterwards) : upstream.userError(e, afterwards, "input", field);
        return Mono.error(refusal(error));
    }

    private static <T> Mono<T> refused(UserError error) {
        return Mono.error(refusal(error));
    }

    private static Refused refusal(UserError error) {
        return new Refused(List.of(error));
    }

    private static java.util.function.Predicate<Throwable> notFound() {
        return e -> e instanceof LiteLlmException le && le.category() == Category.NOT_FOUND;
    }

    private static Refused goneUpstream(String what, String ext) {
        return refusal(UserError.notFound("LiteLLM has no " + what + " '" + ext + "' now; the next budgets sync marks this budget STALE.",
                "input", "id"));
    }

    private static <T> ArgumentValue<T> present(T value) {
        return value == null ? ArgumentValue.omitted() : ArgumentValue.ofNullable(value);
    }

    private static <T> T given(ArgumentValue<T> value) {
        return value.isOmitted() ? null : value.value();
    }

    private static void uncleared(BudgetChecks check, ArgumentValue<?> change, Object stored, String field) {
        if (!change.isOmitted() && change.value() == null && stored != null) {
            check.errors.add(UserError.invalid("LiteLLM's /user/update cannot clear a user's " + field + ".", "input", field));
        }
    }

    private static UserError cannotClearMax(String what) {
        return UserError.invalid("A " + what + " budget keeps its maxBudget: deleteBudget removes the budget.", "input", "maxBudget");
    }

    private static UserError userHasNoSoftBudget() {
        return UserError.invalid("LiteLLM users have no soft budget (it would be ignored).", "input", "softBudget");
    }

    private static UserError alreadyLimited(String what, String ext, BigDecimal max) {
        return UserError.conflict("LiteLLM " + what + " '" + ext + "' already has a budget (max_budget " + max.toPlainString()
                + "): run a budgets sync and change it with updateBudget.", "input", "externalId");
    }

    private static UserError notStored(String what) {
        return new UserError(List.of("input", "maxBudget"), "LiteLLM did not store the " + what + "'s max_budget.", "UPSTREAM_REJECTED");
    }

    private static UserError busy() {
        return new UserError(null, "Another change of this budget is still in progress; try again.", UserError.CONFLICT);
    }

    private static String names(List<String> ids) {
        List<String> sorted = ids.stream().sorted().toList();
        String shown = String.join(", ", sorted.subList(0, Math.min(NAMED_CUSTOMERS, sorted.size())));
        return sorted.size() > NAMED_CUSTOMERS ? shown + " and " + (sorted.size() - NAMED_CUSTOMERS) + " more" : shown;
    }

    /** An absent-or-present value for a reactive chain (Mono cannot carry null). */
    private record Present<T>(T value) {

        static <T> Present<T> of(T value) {
            return new Present<>(value);
        }

        static <T> Present<T> none() {
            return new Present<>(null);
        }
    }

    /** A user error found on the way: raised to stop the chain (and roll back), turned into the payload at the end. */
    private static final class Refused extends RuntimeException {

        final List<UserError> errors;

        Refused(List<UserError> errors) {
            super(null, null, false, false);
            this.errors = errors;
        }
    }
}
