package io.oneuihub.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.oneuihub.catalog.CompanyWriter.Columns;
import io.oneuihub.db.Constraints;
import io.oneuihub.graphql.DeletePayload;
import io.oneuihub.graphql.UserError;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.graphql.data.ArgumentValue;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * createCompany, updateCompany and deleteCompany: local only (LiteLLM has no companies). Inputs are checked
 * before the database is touched; each mutation is then one transaction, and any user error found inside it
 * rolls the whole transaction back, so a refused mutation changes nothing.
 */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class CompanyMutationService {

    /** The company.slug CHECK of the schema, checked here first so the caller learns which input is wrong. */
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]*$");

    private final CompanyWriter writer;
    private final CompanyRepository companies;
    private final TransactionalOperator tx;

    public CompanyMutationService(CompanyWriter writer, CompanyRepository companies, ReactiveTransactionManager transactions) {
        this.writer = writer;
        this.companies = companies;
        this.tx = TransactionalOperator.create(transactions);
    }

    public Mono<CompanyPayload> create(CreateCompanyInput input) {
        Checks check = new Checks();
        Columns columns = new Columns(
                check.slug(ArgumentValue.ofNullable(input.slug())),
                check.name(ArgumentValue.ofNullable(input.name())),
                Checks.description(ArgumentValue.ofNullable(input.description())),
                check.url("logoUrl", ArgumentValue.ofNullable(input.logoUrl())),
                check.url("website", ArgumentValue.ofNullable(input.website())));
        ProviderKeys keys = check.providers(ArgumentValue.ofNullable(input.providers()));
        if (!check.errors.isEmpty()) {
            return Mono.just(CompanyPayload.refused(check.errors));
        }
        String slug = columns.slug().value();
        Mono<CompanyPayload> work = (keys.keys().isEmpty() ? Mono.<Void>empty() : writer.lockProviderKeys())
                .then(writer.slugTaken(slug, null))
                .zipWith(writer.owners(keys.keys(), null))
                .flatMap(found -> {
                    List<UserError> conflicts = new ArrayList<>();
                    if (found.getT1()) {
                        conflicts.add(slugConflict(slug));
                    }
                    conflicts.addAll(keys.conflicts(found.getT2()));
                    if (!conflicts.isEmpty()) {
                        return Mono.error(new Rejected(conflicts));
                    }
                    return writer.insert(slug, columns.name().value(), columns.description().value(),
                                    columns.logoUrl().value(), columns.website().value())
                            .flatMap(id -> writer.replaceKeys(id, List.of(), keys.keys())
                                    .then(writer.reassignModels(keys.keys()))
                                    .then(companies.findById(id)));
                })
                .map(CompanyPayload::of);
        return refusals(tx.transactional(work), CompanyPayload::refused);
    }

    public Mono<CompanyPayload> update(UpdateCompanyInput input) {
        Checks check = new Checks();
        UUID id = check.id("id", input.id());
        Columns columns = new Columns(
                check.slug(input.slug()),
                check.name(input.name()),
                Checks.description(input.description()),
                check.url("logoUrl", input.logoUrl()),
                check.url("website", input.website()));
        ProviderKeys keys = input.providers().isOmitted() ? null : check.providers(input.providers());
        if (!check.errors.isEmpty()) {
            return Mono.just(CompanyPayload.refused(check.errors));
        }
        Mono<CompanyPayload> work = (keys == null ? Mono.<Void>empty() : writer.lockProviderKeys())
                .then(writer.update(id, columns, input.expectedUpdatedAt()))
                .flatMap(matched -> {
                    if (!matched) {
                        return writer.exists(id).flatMap(exists -> Mono.<UUID>error(new Rejected(List.of(exists
                                ? UserError.conflict("The company changed after expectedUpdatedAt; read it again and retry.",
                                        "input", "expectedUpdatedAt")
                                : notFound("id")))));
                    }
                    if (keys == null) {
                        return Mono.just(id);
                    }
                    return writer.keys(id).zipWith(writer.owners(keys.keys(), id)).flatMap(found -> {
                        List<UserError> conflicts = keys.conflicts(found.getT2());
                        if (!conflicts.isEmpty()) {
                            return Mono.<UUID>error(new Rejected(conflicts));
                        }
                        Set<String> changed = new LinkedHashSet<>(found.getT1());
                        changed.addAll(keys.keys());
                        changed.removeIf(key -> found.getT1().contains(key) && keys.keys().contains(key));
                        return writer.replaceKeys(id, found.getT1(), keys.keys())
                                .then(writer.reassignModels(changed))
                                .thenReturn(id);
                    });
                })
                .flatMap(companies::findById)
                .map(CompanyPayload::of);
        return refusals(tx.transactional(work), CompanyPayload::refused);
    }

    public Mono<DeletePayload> delete(DeleteCompanyInput input) {
        Checks check = new Checks();
        UUID id = check.id("id", input.id());
        UUID moveTo = input.moveModelsTo() == null ? null : check.id("moveModelsTo", input.moveModelsTo());
        if (id != null && id.equals(moveTo)) {
            check.errors.add(UserError.invalid("moveModelsTo must be another company than the one deleted.",
                    "input", "moveModelsTo"));
        }
        if (!check.errors.isEmpty()) {
            return Mono.just(DeletePayload.refused(check.errors));
        }
        List<UUID> locked = moveTo == null ? List.of(id) : List.of(id, moveTo);
        // The deleted company's keys go away or move to the target: a change of provider keys.
        Mono<DeletePayload> work = writer.lockProviderKeys().then(writer.lock(locked)).flatMap(found -> {
                    List<UserError> missing = new ArrayList<>();
                    if (!found.contains(id)) {
                        missing.add(notFound("id"));
                    }
                    if (moveTo != null && !found.contains(moveTo)) {
                        missing.add(notFound("moveModelsTo"));
                    }
                    if (!missing.isEmpty()) {
                        return Mono.<Long>error(new Rejected(missing));
                    }
                    return writer.modelCount(id);
                })
                .flatMap(models -> {
                    if (moveTo == null) {
                        return models == 0 ? writer.delete(id) : writer.slugOf(id).flatMap(slug -> Mono.<Void>error(new Rejected(List.of(
                                UserError.conflict("Company '" + slug + "' still has " + models + (models == 1 ? " model" : " models")
                                        + "; pass moveModelsTo to move them to another company.", "input", "moveModelsTo")))));
                    }
                    return writer.keys(id).flatMap(keys -> writer.moveModelsAndKeys(id, moveTo)
                                    .then(keys.isEmpty() ? Mono.<Void>empty() : writer.touch(moveTo))
                                    .then(writer.reassignModels(keys)))
                            .then(writer.delete(id));
                })
                .thenReturn(DeletePayload.deleted(id));
        return refusals(tx.transactional(work), DeletePayload::refused);
    }

    /** User errors found inside the transaction (it has been rolled back), and the constraints that name an input. */
    private static <P> Mono<P> refusals(Mono<P> work, Function<List<UserError>, P> refused) {
        return work
                .onErrorResume(Rejected.class, rejected -> Mono.just(refused.apply(rejected.errors)))
                .onErrorResume(DataIntegrityViolationException.class, violation -> {
                    // A concurrent mutation took the slug or a key between our check and our write.
                    String constraint = Constraints.violated(violation);
                    if ("company_slug_key".equals(constraint)) {
                        return Mono.just(refused.apply(List.of(UserError.conflict(
                                "Another company already has this slug.", "input", "slug"))));
                    }
                    if ("company_provider_pkey".equals(constraint)) {
                        return Mono.just(refused.apply(List.of(UserError.conflict(
                                "A provider key was just given to another company; read the companies again.", "input", "providers"))));
                    }
                    if ("company_provider_provider_check".equals(constraint)) {
                        return Mono.just(refused.apply(List.of(UserError.invalid(
                                "A provider key is not lower-case as the database compares it.", "input", "providers"))));
                    }
                    return Mono.error(violation);
                });
    }

    private static UserError slugConflict(String slug) {
        return UserError.conflict("Another company already has the slug '" + slug + "'.", "input", "slug");
    }

    private static UserError notFound(String field) {
        return UserError.notFound("No company has this id.", "input", field);
    }

    /** Normalised provider keys, and where each came from in the input (for the field path of an error). */
    record ProviderKeys(List<String> keys, Map<String, Integer> index) {

        List<UserError> conflicts(Map<String, String> owners) {
            List<UserError> errors = new ArrayList<>();
            for (String key : keys) {
                String owner = owners.get(key);
                if (owner != null) {
                    errors.add(UserError.conflict("Provider key '" + key + "' belongs to company '" + owner + "'.",
                            "input", "providers", String.valueOf(index.get(key))));
                }
            }
            return errors;
        }
    }

    /** Input checks made before the database is touched; every failure is collected. */
    private static final class Checks {

        final List<UserError> errors = new ArrayList<>();

        UUID id(String field, String value) {
            try {
                return UUID.fromString(value);
            } catch (IllegalArgumentException | NullPointerException e) {
                errors.add(UserError.invalid("'" + field + "' is not a valid id.", "input", field));
                return null;
            }
        }

        ArgumentValue<String> slug(ArgumentValue<String> slug) {
            if (slug.isOmitted()) {
                return slug;
            }
            if (slug.value() == null) {
                errors.add(UserError.invalid("A company needs a slug; it cannot be cleared.", "input", "slug"));
            } else if (!SLUG.matcher(slug.value()).matches()) {
                errors.add(UserError.invalid("A slug has lower-case letters, digits and '-' only, and starts with a letter or digit.",
                        "input", "slug"));
            }
            return slug;
        }

        ArgumentValue<String> name(ArgumentValue<String> name) {
            if (name.isOmitted()) {
                return name;
            }
            if (name.value() == null || name.value().isBlank()) {
                errors.add(UserError.invalid("A company needs a name that is not blank.", "input", "name"));
                return name;
            }
            return ArgumentValue.ofNullable(name.value().strip());
        }

        static ArgumentValue<String> description(ArgumentValue<String> description) {
            // The catalog stores a missing value as NULL, never as ''.
            return !description.isOmitted() && description.value() != null && description.value().isBlank()
                    ? ArgumentValue.ofNullable(null) : description;
        }

        ArgumentValue<String> url(String field, ArgumentValue<String> url) {
            if (url.isPresent() && !HttpUrls.valid(url.value())) {
                errors.add(UserError.invalid("'" + field + "' must be an http or https URL.", "input", field));
            }
            return url;
        }

        ProviderKeys providers(ArgumentValue<List<String>> providers) {
            List<String> given = providers.value() == null ? List.of() : providers.value();
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < given.size(); i++) {
                String key = CompanyChoice.providerKey(given.get(i));
                if (key == null) {
                    errors.add(UserError.invalid("A provider key cannot be blank.", "input", "providers", String.valueOf(i)));
                } else {
                    index.putIfAbsent(key, i);
                }
            }
            return new ProviderKeys(List.copyOf(index.keySet()), index);
        }
    }

    /** A user error found inside the transaction: raised to roll it back, turned into the payload outside. */
    private static final class Rejected extends RuntimeException {

        final List<UserError> errors;

        Rejected(List<UserError> errors) {
            super(null, null, false, false);
            this.errors = errors;
        }
    }
}
