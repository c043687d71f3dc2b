package io.oneuihub.catalog;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.oneuihub.catalog.ModelMutationStore.HubFields;
import io.oneuihub.graphql.DeletePayload;
import io.oneuihub.graphql.UpstreamWrites;
import io.oneuihub.graphql.UserError;
import io.oneuihub.litellm.LiteLlmClient;
import io.oneuihub.litellm.LiteLlmDeployment;
import io.oneuihub.litellm.LiteLlmException;
import io.oneuihub.litellm.LiteLlmException.Category;
import io.oneuihub.litellm.NewDeployment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.data.ArgumentValue;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * createModel, updateModel, deleteModel, addDeployment, updateDeployment and removeDeployment: written through
 * to LiteLLM, then stored. Inputs are checked before anything is called. LiteLLM is written first (each write
 * sent once, under {@link UpstreamWrites#bounded one deadline}); only what LiteLLM reports afterwards is stored,
 * in one transaction that begins after LiteLLM accepted; when LiteLLM fails or refuses, nothing changes locally.
 * Mutations of one model run one after the other ({@link ModelLocks}).
 *
 * <p>Choices LiteLLM forces, documented in the schema: config-file deployments are refused before any write
 * (READ_ONLY_UPSTREAM); several deployments are written one by one, and a failure part-way stops there: the
 * deployments LiteLLM accepted are stored as LiteLLM reports them, the rest stay as they were, and the payload
 * says which is which; the last deployment LiteLLM serves for a model is not removed by removeDeployment
 * (CONFLICT: that is deleteModel). When the local write fails after LiteLLM accepted, the hub relies on the
 * next models sync to store LiteLLM's state (LOCAL_WRITE_FAILED says so).
 */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class ModelMutationService {

    private static final Logger log = LoggerFactory.getLogger(ModelMutationService.class);
    static final String LOCAL_WRITE_FAILED = UserError.LOCAL_WRITE_FAILED;
    private static final String NEXT_SYNC = "The next models sync will show whether LiteLLM applied it and store what LiteLLM has.";

    private final LiteLlmClient litellm;
    private final UpstreamWrites upstream;
    private final ModelMutationStore store;
    private final ModelLocks locks;
    private final ModelRepository modelReads;
    private final DeploymentRepository deploymentReads;
    private final TransactionalOperator tx;
    /** How long a mutation waits for an earlier one of the same model, and how long a re-read may take. */
    private final Duration shortBound;

    public ModelMutationService(LiteLlmClient litellm, UpstreamWrites upstream, ModelMutationStore store, ModelLocks locks,
            ModelRepository modelReads, DeploymentRepository deploymentReads, ReactiveTransactionManager transactions) {
        this.litellm = litellm;
        this.upstream = upstream;
        this.store = store;
        this.locks = locks;
        this.modelReads = modelReads;
        this.deploymentReads = deploymentReads;
        this.tx = TransactionalOperator.create(transactions);
        // 60 % of the request timeout is LiteLLM's; a wait before and a re-read after get 15 % each
        this.shortBound = upstream.deadline().dividedBy(4);
    }

    // ------------------------------------------------------------------ createModel / addDeployment

    public Mono<ModelPayload> create(CreateModelInput input) {
        ModelInputChecks check = new ModelInputChecks();
        String name = check.name(input.name());
        String externalId = check.externalId(input.externalId());
        UpstreamChange change = newDeployment(check, input.litellmModel(), input.apiBase(), input.apiKey(), input.apiVersion(),
                input.params(), input.pricing(), input.limits(), input.mode());
        HubFields hub = new HubFields(
                input.description() == null ? ArgumentValue.omitted() : ArgumentValue.ofNullable(check.description(input.description())),
                input.enabled() == null ? ArgumentValue.omitted() : ArgumentValue.ofNullable(input.enabled()),
                input.free() == null ? ArgumentValue.omitted() : ArgumentValue.ofNullable(input.free()),
                input.companyId() == null ? ArgumentValue.omitted() : check.companyId(ArgumentValue.ofNullable(input.companyId())));
        if (check.failed()) {
            return Mono.just(ModelPayload.refused(check.errors));
        }
        NewDeployment deployment = new NewDeployment(externalId, name, change.litellmParams(), change.modelInfo());
        Mono<ModelPayload> work = companyExists(hub, check)
                .then(Mono.defer(() -> createThenStore(deployment, change, hub, check)));
        return guarded(locks.serialize(name, shortBound, () -> work), name, check, ModelPayload::refused);
    }

    public Mono<ModelPayload> addDeployment(AddDeploymentInput input) {
        ModelInputChecks check = new ModelInputChecks();
        UUID modelId = check.id("modelId", input.modelId());
        String externalId = check.externalId(input.externalId());
        UpstreamChange change = newDeployment(check, input.litellmModel(), input.apiBase(), input.apiKey(), input.apiVersion(),
                input.params(), input.pricing(), input.limits(), null);
        if (check.failed()) {
            return Mono.just(ModelPayload.refused(check.errors));
        }
        return store.model(modelId)
                .switchIfEmpty(Mono.error(() -> refusal(UserError.notFound("No model has this id.", "input", "modelId"))))
                .flatMap(model -> guarded(locks.serialize(model.row().name(), shortBound, () -> store.model(modelId)
                        .switchIfEmpty(Mono.error(() -> refusal(UserError.notFound("The model was deleted meanwhile.", "input", "modelId"))))
                        .flatMap(current -> createThenStore(new NewDeployment(externalId, current.row().name(), change.litellmParams(),
                                change.modelInfo()), change, HubFields.NONE, check))), model.row().name(), check, ModelPayload::refused))
                .onErrorResume(Refusal.class, r -> Mono.just(ModelPayload.refused(r.errors)));
    }

    private UpstreamChange newDeployment(ModelInputChecks check, String litellmModel, String apiBase, String apiKey,
            String apiVersion, Object params, PricingInput pricing, LimitsInput limits, String mode) {
        return check.upstream(false)
                .litellmModel("litellmModel", ArgumentValue.ofNullable(litellmModel))
                .apiBase(ArgumentValue.ofNullable(apiBase))
                .apiKey(ArgumentValue.ofNullable(apiKey))
                .apiVersion(ArgumentValue.ofNullable(apiVersion))
                .params(ArgumentValue.ofNullable(params))
                .pricing(ArgumentValue.ofNullable(pricing))
                .limits(ArgumentValue.ofNullable(limits))
                .mode(ArgumentValue.ofNullable(mode))
                .build();
    }

    /** Creates the deployment in LiteLLM (adopting our own id when a retry finds it there), then stores it. */
    private Mono<ModelPayload> createThenStore(NewDeployment deployment, UpstreamChange change, HubFields hub, ModelInputChecks check) {
        String id = deployment.id();
        Mono<LiteLlmDeployment> created = upstream.bounded(litellm.createDeployment(deployment), "POST /model/new")
                .onErrorResume(LiteLlmException.class, e -> switch (e.category()) {
                    // the id is taken: ours from an earlier attempt, or someone else's
                    case CONFLICT -> reRead(id).onErrorResume(LiteLlmException.class, lookup -> Mono.error(refusal(check.scrub(
                                    upstream.userError(e, "The hub could not read it back; the next models sync will show it.",
                                            "input", "externalId")))))
                            .switchIfEmpty(Mono.error(() -> refusal(check.scrub(upstream.userError(e,
                                    "LiteLLM does not show it either; the next models sync will show whether it exists.", "input", "externalId")))))
                            .flatMap(existing -> ours(existing, deployment) ? Mono.just(existing)
                                    : Mono.error(refusal(new UserError(List.of("input", "externalId"), "LiteLLM already has deployment "
                                            + id + " for model '" + existing.modelName() + "' (" + existing.litellmModel()
                                            + "); choose another externalId or leave it out.", UserError.CONFLICT))));
                    // LiteLLM may have created it without the answer reaching us: look for it by its own id
                    case TIMEOUT, UNAVAILABLE, PROTOCOL -> reRead(id)
                            .filter(existing -> ours(existing, deployment))
                            .switchIfEmpty(Mono.error(() -> refusal(check.scrub(upstream.userError(e,
                                    "LiteLLM does not show deployment " + id + " now. If the create reaches it later, the next models "
                                            + "sync adds it; send createModel again with externalId \"" + id + "\" to be sure it exists once.")))))
                            .onErrorResume(LiteLlmException.class, lookup -> Mono.error(refusal(check.scrub(upstream.userError(e,
                                    "The hub could not check whether LiteLLM created deployment " + id + "; the next models sync will "
                                            + "show it. Send createModel again with externalId \"" + id + "\": it is not created twice.")))));
                    default -> Mono.error(refusal(check.scrub(upstream.userError(e, null))));
                });
        return created.flatMap(reported -> tx.transactional(store.storeCreated(deployment.modelName(), reported, hub))
                .flatMap(ids -> payload(ids.getKey(), ids.getValue(), List.of(ids.getValue()), List.of(), change.unapplied(reported)))
                .onErrorResume(e -> !(e instanceof Refusal), e -> Mono.just(localWriteFailed(e, "create of deployment " + id,
                        " To store it now, send this createModel again with externalId \"" + id + "\"."
                                + (hub.isEmpty() ? "" : " Otherwise the hub-owned fields (description, enabled, free, companyId) are not "
                                        + "stored: set them with updateModel then.")))))
                .onErrorResume(Refusal.class, r -> Mono.just(ModelPayload.refused(r.errors)));
    }

    /** A deployment found under our id is ours when it has the name and litellm model we asked for. */
    private static boolean ours(LiteLlmDeployment existing, NewDeployment asked) {
        return asked.modelName().equals(existing.modelName()) && Objects.equals(asked.litellmParams().get("model"), existing.litellmModel());
    }

    private Mono<LiteLlmDeployment> reRead(String externalId) {
        return litellm.deployment(externalId).timeout(shortBound, Mono.error(() -> LiteLlmException.timeout(
                "GET /model/info?litellm_model_id=" + externalId, "no answer within " + shortBound.toMillis() + " ms")))
                .onErrorResume(e -> e instanceof LiteLlmException le && le.category() == Category.NOT_FOUND, e -> Mono.empty());
    }

    // ------------------------------------------------------------------ updateModel

    public Mono<ModelPayload> update(UpdateModelInput input) {
        ModelInputChecks check = new ModelInputChecks();
        UUID id = check.id("id", input.id());
        HubFields hub = new HubFields(check.description(input.description()), check.flag("enabled", input.enabled()),
                check.flag("free", input.free()), check.companyId(input.companyId()));
        UpstreamChange change = check.upstream(true).mode(input.mode()).pricing(input.pricing()).limits(input.limits()).build();
        if (check.failed()) {
            return Mono.just(ModelPayload.refused(check.errors));
        }
        return store.model(id)
                .switchIfEmpty(Mono.error(() -> refusal(modelNotFound())))
                .flatMap(found -> guarded(locks.serialize(found.row().name(), shortBound,
                        () -> updateLocked(id, hub, change, input.expectedUpdatedAt(), check)), found.row().name(), check, ModelPayload::refused))
                .onErrorResume(Refusal.class, r -> Mono.just(ModelPayload.refused(r.errors)));
    }

    private Mono<ModelPayload> updateLocked(UUID id, HubFields hub, UpstreamChange change, OffsetDateTime expected, ModelInputChecks check) {
        return store.model(id)
                .switchIfEmpty(Mono.error(() -> refusal(modelNotFound())))
                .flatMap(model -> {
                    if (expected != null && !ModelMutationStore.sameVersion(model.updatedAt(), expected)) {
                        return Mono.error(refusal(modelChanged()));
                    }
                    return companyExists(hub, check).then(Mono.defer(() -> change.isEmpty()
                            ? updateLocally(model, hub, expected)
                            : updateThroughLiteLlm(model, hub, change, expected, check)));
                });
    }

    /** Hub-owned fields only: one transaction, the version checked on the locked row. */
    private Mono<ModelPayload> updateLocally(ModelWriter.Stored model, HubFields hub, OffsetDateTime expected) {
        UUID id = model.row().id();
        if (hub.isEmpty()) {
            return payload(id, null, List.of(), List.of(), List.of());
        }
        return tx.transactional(lockedVersion(id, expected).then(store.setHubFields(id, hub)))
                .then(Mono.defer(() -> payload(id, null, List.of(), List.of(), List.of())));
    }

    private Mono<ModelWriter.Stored> lockedVersion(UUID id, OffsetDateTime expected) {
        return store.lock(id)
                .switchIfEmpty(Mono.error(() -> refusal(modelNotFound())))
                .flatMap(locked -> expected != null && !ModelMutationStore.sameVersion(locked.updatedAt(), expected)
                        ? Mono.error(refusal(modelChanged())) : Mono.just(locked));
    }

    private Mono<ModelPayload> updateThroughLiteLlm(ModelWriter.Stored model, HubFields hub, UpstreamChange change,
            OffsetDateTime expected, ModelInputChecks check) {
        UUID id = model.row().id();
        String name = model.row().name();
        return store.deploymentsOf(id).flatMap(all -> {
            List<DeploymentWriter.Stored> targets = all.stream().filter(d -> d.row().status() == RecordStatus.ACTIVE)
                    .sorted(ModelMutationStore.BY_EXTERNAL_ID).toList();
            if (targets.isEmpty()) {
                return Mono.error(refusal(UserError.conflict("Model '" + name + "' has no deployment LiteLLM serves (it is STALE): "
                        + "there is nothing in LiteLLM to write mode, pricing or limits to.", "input", "id")));
            }
            List<DeploymentWriter.Stored> readOnly = targets.stream().filter(d -> !d.row().editable()).toList();
            if (!readOnly.isEmpty()) {
                return Mono.error(refusal(readOnlyUpstream(readOnly, "change")));
            }
            return writeEach(targets, change).flatMap(outcome -> {
                if (outcome.applied().isEmpty()) {
                    // nothing reached LiteLLM (or nothing is known to have): nothing changes here
                    return payload(id, null, List.of(), outcome.unchanged(), List.of(check.scrub(outcome.error(upstream, hub, "update"))))
                            .map(p -> new ModelPayload(null, null, p.userErrors(), List.of(), p.unchangedDeployments()));
                }
                boolean complete = outcome.failure() == null;
                List<UserError> errors = new ArrayList<>();
                if (!complete) {
                    errors.add(check.scrub(outcome.error(upstream, hub, "update")));
                }
                outcome.applied().values().forEach(reported -> errors.addAll(change.unapplied(reported)));
                Mono<Void> local = store.lock(id)
                        .switchIfEmpty(Mono.error(() -> new IllegalStateException("model " + id + " was deleted while LiteLLM was written")))
                        .flatMap(locked -> freshest(outcome.applied())
                                .flatMap(reported -> store.storeReported(id, name, outcome.appliedTargets(), reported))
                                .then(Mono.defer(() -> {
                                    if (!complete || hub.isEmpty()) {
                                        return Mono.<Void>empty();
                                    }
                                    if (expected != null && !ModelMutationStore.sameVersion(locked.updatedAt(), expected)) {
                                        // another instance changed the model after our check: LiteLLM has our change (stored above)
                                        errors.add(UserError.conflict("The model changed after expectedUpdatedAt while LiteLLM was being "
                                                + "written: LiteLLM has the new mode/pricing/limits (stored), the hub-owned fields were not "
                                                + "changed. Read the model again and retry them.", "input", "expectedUpdatedAt"));
                                        return Mono.<Void>empty();
                                    }
                                    return store.setHubFields(id, hub);
                                })));
                return tx.transactional(local)
                        .then(Mono.defer(() -> payload(id, null, new ArrayList<>(outcome.applied().keySet()), outcome.unchanged(), errors)))
                        .onErrorResume(e -> !(e instanceof Refusal), e -> Mono.just(localWriteFailed(e, "update of model " + name,
                                hub.isEmpty() ? "" : " The hub-owned fields were not stored either.")));
            });
        });
    }

    /**
     * What LiteLLM reports now for deployments written a moment ago, read while the model row is locked: a
     * concurrent mutation of the same model on another instance may have written LiteLLM after our write, and the
     * last to store must store what LiteLLM ends up with. A deployment that cannot be re-read keeps the answer of
     * its write.
     */
    private Mono<Map<String, LiteLlmDeployment>> freshest(Map<UUID, LiteLlmDeployment> written) {
        Map<String, LiteLlmDeployment> fresh = Collections.synchronizedMap(new LinkedHashMap<>());
        written.values().forEach(d -> fresh.put(d.id(), d));
        return Flux.fromIterable(written.values())
                .concatMap(d -> litellm.deployment(d.id()).onErrorResume(e -> Mono.empty()))
                .doOnNext(d -> fresh.put(d.id(), d))
                .then()
                .timeout(shortBound, Mono.empty())
                .then(Mono.fromSupplier(() -> Map.copyOf(fresh)));
    }

    /**
     * The outcome of writing one change to several deployments, one after the other, all under one deadline;
     * the first failure stops the rest.
     *
     * @param applied   hub deployment id -> what LiteLLM reported after accepting the write
     * @param failure   the write that failed (null when all were applied); its outcome is unknown unless refused
     */
    private record Outcome(List<DeploymentWriter.Stored> targets, Map<UUID, LiteLlmDeployment> applied,
            DeploymentWriter.Stored failed, LiteLlmException failure) {

        List<DeploymentWriter.Stored> appliedTargets() {
            return targets.stream().filter(d -> applied.containsKey(d.row().id())).toList();
        }

        /** LiteLLM certainly did not apply a refusal (4xx); a lost or failed answer may hide an applied write. */
        boolean outcomeUnknown() {
            return failure != null && switch (failure.category()) {
                case TIMEOUT, UNAVAILABLE, PROTOCOL -> true;
                default -> false;
            };
        }

        List<DeploymentWriter.Stored> unchanged() {
            return targets.stream().filter(d -> !applied.containsKey(d.row().id()))
                    .filter(d -> !(outcomeUnknown() && d == failed)).toList();
        }

        UserError error(UpstreamWrites upstream, HubFields hub, String verb) {
            List<String> done = appliedTargets().stream().map(d -> d.row().externalId()).toList();
            List<String> notSent = targets.stream().filter(d -> !applied.containsKey(d.row().id()) && d != failed)
                    .map(d -> d.row().externalId()).toList();
            StringBuilder afterwards = new StringBuilder("(deployment ").append(failed.row().externalId()).append(")");
            if (!done.isEmpty()) {
                afterwards.append(" LiteLLM applied the ").append(verb).append(" to ").append(String.join(", ", done))
                        .append(verb.equals("delete") ? " before that; the hub removed them too, the model stays with the rest."
                                : " before that; the hub stores what LiteLLM reports for them.");
            }
            if (!notSent.isEmpty()) {
                afterwards.append(" Not sent, unchanged: ").append(String.join(", ", notSent)).append('.');
            }
            if (outcomeUnknown()) {
                afterwards.append(" ").append(failed.row().externalId()).append(": ").append(NEXT_SYNC);
            }
            if (!hub.isEmpty() && verb.equals("update")) {
                afterwards.append(" The hub-owned fields were not changed.");
            }
            return upstream.userError(failure, afterwards.toString().trim(), "input", "id");
        }
    }

    private Mono<Outcome> writeEach(List<DeploymentWriter.Stored> targets, UpstreamChange change) {
        Map<UUID, LiteLlmDeployment> applied = Collections.synchronizedMap(new LinkedHashMap<>());
        DeploymentWriter.Stored[] current = new DeploymentWriter.Stored[1];
        Mono<Void> all = Flux.fromIterable(targets)
                .concatMap(target -> {
                    current[0] = target;
                    return litellm.updateDeployment(target.row().externalId(), change.asUpdate())
                            .doOnNext(reported -> applied.put(target.row().id(), reported));
                })
                .then();
        return upstream.bounded(all, "PATCH /model/{id}/update")
                .then(Mono.fromSupplier(() -> new Outcome(targets, Map.copyOf(applied), null, null)))
                .onErrorResume(LiteLlmException.class, e -> Mono.just(new Outcome(targets, Map.copyOf(applied), current[0], e)));
    }

    // ------------------------------------------------------------------ deleteModel

    public Mono<DeletePayload> delete(DeleteModelInput input) {
        ModelInputChecks check = new ModelInputChecks();
        UUID id = check.id("id", input.id());
        if (check.failed()) {
            return Mono.just(DeletePayload.refused(check.errors));
        }
        return store.model(id)
                .switchIfEmpty(Mono.error(() -> refusal(modelNotFound())))
                .flatMap(found -> guarded(locks.serialize(found.row().name(), shortBound, () -> deleteLocked(id)), found.row().name(),
                        check, DeletePayload::refused))
                .onErrorResume(Refusal.class, r -> Mono.just(DeletePayload.refused(r.errors)));
    }

    private Mono<DeletePayload> deleteLocked(UUID id) {
        return store.model(id)
                .switchIfEmpty(Mono.error(() -> refusal(modelNotFound())))
                .flatMap(model -> store.deploymentsOf(id).flatMap(all -> {
                    List<DeploymentWriter.Stored> readOnly = all.stream()
                            .filter(d -> d.row().status() == RecordStatus.ACTIVE && !d.row().editable()).toList();
                    if (!readOnly.isEmpty()) {
                        return Mono.error(refusal(readOnlyUpstream(readOnly, "delete")));
                    }
                    List<DeploymentWriter.Stored> targets = all.stream().sorted(ModelMutationStore.BY_EXTERNAL_ID).toList();
                    return deleteEach(targets).flatMap(outcome -> {
                        if (outcome.failure() == null) {
                            return tx.transactional(store.storeDeleted(id))
                                    .thenReturn(DeletePayload.deleted(id))
                                    .onErrorResume(e -> !(e instanceof Refusal), e -> Mono.just(DeletePayload.refused(List.of(
                                            localWriteFailed(e, "delete of model " + model.row().name(), "").userErrors().get(0)))));
                        }
                        UserError error = outcome.error(upstream, HubFields.NONE, "delete");
                        if (outcome.applied().isEmpty()) {
                            return Mono.just(DeletePayload.refused(List.of(error)));
                        }
                        return tx.transactional(store.storeRemoved(id, model.row().name(), outcome.applied().keySet()))
                                .thenReturn(DeletePayload.refused(List.of(error)))
                                .onErrorResume(e -> !(e instanceof Refusal), e -> Mono.just(DeletePayload.refused(List.of(error,
                                        localWriteFailed(e, "delete of deployments of " + model.row().name(), "").userErrors().get(0)))));
                    });
                }));
    }

    /** Deletes one after the other under one deadline; a deployment LiteLLM no longer has counts as deleted. */
    private Mono<Outcome> deleteEach(List<DeploymentWriter.Stored> targets) {
        Map<UUID, LiteLlmDeployment> deleted = Collections.synchronizedMap(new LinkedHashMap<>());
        DeploymentWriter.Stored[] current = new DeploymentWriter.Stored[1];
        Mono<Void> all = Flux.fromIterable(targets)
                .concatMap(target -> {
                    current[0] = target;
                    return deleteUpstream(target.row().externalId()).doOnSuccess(v -> deleted.put(target.row().id(), gone(target)));
                })
                .then();
        return upstream.bounded(all, "POST /model/delete")
                .then(Mono.fromSupplier(() -> new Outcome(targets, Map.copyOf(deleted), null, null)))
                .onErrorResume(LiteLlmException.class, e -> Mono.just(new Outcome(targets, Map.copyOf(deleted), current[0], e)));
    }

    /**
     * Deletes one deployment; one LiteLLM no longer has counts as deleted. LiteLLM answers NOT_FOUND for a refusal
     * too, so a NOT_FOUND is only "gone" when a re-read confirms it.
     */
    private Mono<Void> deleteUpstream(String externalId) {
        return litellm.deleteDeployment(externalId)
                .onErrorResume(e -> e instanceof LiteLlmException le && le.category() == Category.NOT_FOUND,
                        e -> reRead(externalId).flatMap(stillThere -> Mono.<Void>error(e)));
    }

    /** A stand-in for "LiteLLM has no such deployment any more". */
    private static LiteLlmDeployment gone(DeploymentWriter.Stored d) {
        return new LiteLlmDeployment(d.row().externalId(), null, d.row().litellmModel(), null, null, null, null, null, null, null, null,
                null, null, true, Map.of(), null, null);
    }

    // ------------------------------------------------------------------ updateDeployment

    public Mono<ModelPayload> updateDeployment(UpdateDeploymentInput input) {
        ModelInputChecks check = new ModelInputChecks();
        UUID id = check.id("id", input.id());
        UpstreamChange change = check.upstream(true)
                .litellmModel("litellmModel", input.litellmModel())
                .apiBase(input.apiBase())
                .apiKey(input.apiKey())
                .apiVersion(input.apiVersion())
                .params(input.params())
                .pricing(input.pricing())
                .limits(input.limits())
                .build();
        if (check.failed()) {
            return Mono.just(ModelPayload.refused(check.errors));
        }
        return modelOfDeployment(id)
                .flatMap(name -> guarded(locks.serialize(name, shortBound,
                        () -> updateDeploymentLocked(id, change, input.expectedUpdatedAt(), check)), name, check, ModelPayload::refused))
                .onErrorResume(Refusal.class, r -> Mono.just(ModelPayload.refused(r.errors)));
    }

    private Mono<ModelPayload> updateDeploymentLocked(UUID id, UpstreamChange change, OffsetDateTime expected, ModelInputChecks check) {
        return store.deployment(id)
                .switchIfEmpty(Mono.error(() -> refusal(deploymentNotFound())))
                .flatMap(deployment -> {
                    UUID modelId = deployment.row().modelId();
                    if (expected != null && !ModelMutationStore.sameVersion(deployment.updatedAt(), expected)) {
                        return Mono.error(refusal(UserError.conflict("The deployment changed after expectedUpdatedAt; read it again and retry.",
                                "input", "expectedUpdatedAt")));
                    }
                    if (change.isEmpty()) {
                        return payload(modelId, id, List.of(), List.of(), List.of());
                    }
                    if (!deployment.row().editable()) {
                        return Mono.error(refusal(readOnlyUpstream(List.of(deployment), "change")));
                    }
                    return upstream.bounded(litellm.updateDeployment(deployment.row().externalId(), change.asUpdate()), "PATCH /model/{id}/update")
                            .onErrorResume(LiteLlmException.class, e -> Mono.error(refusal(check.scrub(upstream.userError(e,
                                    unknownOutcome(e) ? NEXT_SYNC : null, "input", "id")))))
                            .flatMap(reported -> {
                                List<UserError> errors = new ArrayList<>(change.unapplied(reported));
                                Mono<Void> local = store.model(modelId)
                                        .flatMap(model -> store.lock(modelId)
                                                .then(freshest(Map.of(id, reported)))
                                                .flatMap(fresh -> store.storeReported(modelId, model.row().name(), List.of(deployment), fresh)));
                                return tx.transactional(local)
                                        .then(Mono.defer(() -> payload(modelId, id, List.of(id), List.of(), errors)))
                                        .onErrorResume(e -> !(e instanceof Refusal), e -> Mono.just(localWriteFailed(e,
                                                "update of deployment " + deployment.row().externalId(), "")));
                            });
                });
    }

    // ------------------------------------------------------------------ removeDeployment

    public Mono<DeletePayload> removeDeployment(RemoveDeploymentInput input) {
        ModelInputChecks check = new ModelInputChecks();
        UUID id = check.id("id", input.id());
        if (check.failed()) {
            return Mono.just(DeletePayload.refused(check.errors));
        }
        return modelOfDeployment(id)
                .flatMap(name -> guarded(locks.serialize(name, shortBound, () -> removeLocked(id)), name, check, DeletePayload::refused))
                .onErrorResume(Refusal.class, r -> Mono.just(DeletePayload.refused(r.errors)));
    }

    private Mono<DeletePayload> removeLocked(UUID id) {
        return store.deployment(id)
                .switchIfEmpty(Mono.error(() -> refusal(deploymentNotFound())))
                .flatMap(deployment -> {
                    UUID modelId = deployment.row().modelId();
                    boolean active = deployment.row().status() == RecordStatus.ACTIVE;
                    if (active && !deployment.row().editable()) {
                        return Mono.error(refusal(readOnlyUpstream(List.of(deployment), "delete")));
                    }
                    return Mono.zip(store.model(modelId), store.deploymentsOf(modelId))
                            .switchIfEmpty(Mono.error(() -> refusal(deploymentNotFound())))
                            .flatMap(t -> {
                        String name = t.getT1().row().name();
                        List<DeploymentWriter.Stored> others = t.getT2().stream().filter(d -> !d.row().id().equals(id)).toList();
                        boolean lastServed = active && others.stream().noneMatch(d -> d.row().status() == RecordStatus.ACTIVE);
                        if (others.isEmpty() || lastServed) {
                            return Mono.error(refusal(UserError.conflict("This is the last deployment LiteLLM serves for model '" + name
                                    + "': delete the model with deleteModel, or add another deployment first.", "input", "id")));
                        }
                        return upstream.bounded(deleteUpstream(deployment.row().externalId()), "POST /model/delete")
                                .then(Mono.just(true))
                                .onErrorResume(LiteLlmException.class, e -> Mono.error(refusal(upstream.userError(e,
                                        unknownOutcome(e) ? NEXT_SYNC : null, "input", "id"))))
                                .flatMap(deleted -> tx.transactional(store.lock(modelId).then(store.storeRemoved(modelId, name, List.of(id))))
                                        .thenReturn(DeletePayload.deleted(id))
                                        .onErrorResume(e -> !(e instanceof Refusal), e -> Mono.just(DeletePayload.refused(
                                                localWriteFailed(e, "removal of deployment " + deployment.row().externalId(), "").userErrors()))));
                    });
                });
    }

    // ------------------------------------------------------------------ shared

    private Mono<String> modelOfDeployment(UUID deploymentId) {
        return store.deployment(deploymentId)
                .switchIfEmpty(Mono.error(() -> refusal(deploymentNotFound())))
                .flatMap(d -> store.model(d.row().modelId()))
                .map(m -> m.row().name())
                .switchIfEmpty(Mono.error(() -> refusal(deploymentNotFound())));
    }

    private Mono<Void> companyExists(HubFields hub, ModelInputChecks check) {
        UUID company = hub.chosenCompany();
        if (company == null) {
            return Mono.empty();
        }
        return store.companyExists(company).flatMap(exists -> exists ? Mono.<Void>empty()
                : Mono.error(refusal(UserError.notFound("No company has this id.", "input", "companyId"))));
    }

    /** Refusals raised inside become the payload; a wait for an earlier mutation that takes too long is a CONFLICT. */
    private <P> Mono<P> guarded(Mono<P> work, String name, ModelInputChecks check, java.util.function.Function<List<UserError>, P> refused) {
        return work
                .onErrorResume(Refusal.class, r -> Mono.just(refused.apply(r.errors.stream().map(check::scrub).toList())))
                .onErrorResume(ModelLocks.Busy.class, e -> Mono.just(refused.apply(List.of(UserError.conflict(
                        "Another change of model '" + name + "' is still being written to LiteLLM; nothing was changed. Send this one again.",
                        "input")))));
    }

    private static boolean unknownOutcome(LiteLlmException e) {
        return e.category() == Category.TIMEOUT || e.category() == Category.UNAVAILABLE || e.category() == Category.PROTOCOL;
    }

    private UserError readOnlyUpstream(List<DeploymentWriter.Stored> readOnly, String verb) {
        String ids = readOnly.stream().map(d -> d.row().externalId() + " (" + d.row().litellmModel() + ")").collect(Collectors.joining(", "));
        return new UserError(List.of("input", "id"), "LiteLLM cannot " + verb + " deployments defined in its config file: " + ids
                + ". Nothing was sent to LiteLLM and nothing changed; edit LiteLLM's config file instead.", "READ_ONLY_UPSTREAM");
    }

    private ModelPayload localWriteFailed(Throwable e, String what, String more) {
        log.warn("LiteLLM accepted the {} but the hub could not store it: {}", what, e.toString());
        return ModelPayload.refused(List.of(new UserError(null, "LiteLLM accepted the change, but the hub could not store it. "
                + "The next models sync stores what LiteLLM has." + more, LOCAL_WRITE_FAILED)));
    }

    /** The payload with the model, deployment and deployment lists as stored now. */
    private Mono<ModelPayload> payload(UUID modelId, UUID deploymentId, List<UUID> changed, List<DeploymentWriter.Stored> unchanged,
            List<UserError> errors) {
        Set<UUID> unchangedIds = unchanged.stream().map(d -> d.row().id()).collect(Collectors.toSet());
        return Mono.zip(modelReads.findById(modelId).map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty()),
                        deploymentReads.findByModelIds(List.of(modelId)).collectList())
                .map(t -> {
                    Map<UUID, Deployment> byId = t.getT2().stream().collect(Collectors.toMap(Deployment::id, d -> d));
                    java.util.Comparator<Deployment> byExternalId = java.util.Comparator.comparing(Deployment::externalId);
                    return new ModelPayload(t.getT1().orElse(null), deploymentId == null ? null : byId.get(deploymentId), errors,
                            changed.stream().map(byId::get).filter(Objects::nonNull).sorted(byExternalId).toList(),
                            unchangedIds.stream().map(byId::get).filter(Objects::nonNull).sorted(byExternalId).toList());
                });
    }

    private static UserError modelNotFound() {
        return UserError.notFound("No model has this id.", "input", "id");
    }

    private static UserError deploymentNotFound() {
        return UserError.notFound("No deployment has this id.", "input", "id");
    }

    private static UserError modelChanged() {
        return UserError.conflict("The model changed after expectedUpdatedAt; read it again and retry.", "input", "expectedUpdatedAt");
    }

    private static Refusal refusal(UserError error) {
        return new Refusal(List.of(error));
    }

    /** An expected failure found on the way: raised to stop (and roll back), turned into the payload outside. */
    private static final class Refusal extends RuntimeException {

        final List<UserError> errors;

        Refusal(List<UserError> errors) {
            super(null, null, false, false);
            this.errors = errors;
        }
    }
}
