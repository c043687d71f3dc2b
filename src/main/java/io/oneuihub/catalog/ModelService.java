package io.oneuihub.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.Ids;
import io.oneuihub.graphql.PageArguments;
import io.oneuihub.graphql.PagingLimits;
import io.oneuihub.graphql.SqlFilter;
import io.oneuihub.security.Viewer;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Reads the model catalog with the visibility rules: the public sees enabled, ACTIVE models only. */
// HUB_SECURITY_PUBLIC_CATALOG=false: the catalog needs an authenticated caller (anonymous -> UNAUTHORIZED).
@PreAuthorize("@hubAccess.catalogReadable(authentication)")
@Service
public class ModelService {

    private final ModelRepository models;
    private final PagingLimits limits;

    public ModelService(ModelRepository models, PagingLimits limits) {
        this.models = models;
        this.limits = limits;
    }

    /**
     * @param columns       which optional columns the page's models need (timestamps: of their companies too)
     * @param withCompanies whether the page's companies are read with it (one statement, no batch load)
     * @param withProviders whether those companies need their providers
     */
    public Mono<ModelRepository.ModelPage> models(ModelFilter filter, ModelOrder order, PageArguments paging, boolean withTotal,
            ModelRepository.ModelColumns columns, boolean withCompanies, boolean withProviders) {
        ModelFilter given = filter == null ? ModelFilter.NONE : filter;
        ModelOrder ordering = order == null ? ModelOrder.DEFAULT : order;
        return Viewer.current().flatMap(viewer ->
                models.page(where(given, viewer), ordering.ordering(), paging.resolve(limits), withTotal, columns,
                        withCompanies, withProviders));
    }

    public Mono<Model> model(UUID id, String name) {
        Mono<Model> found = id != null ? models.findById(id) : models.findByName(name);
        return Viewer.current().flatMap(viewer -> found.filter(model -> viewer.admin() || model.publiclyVisible()));
    }

    /** The models of several companies at once, each list ordered by name. */
    public Mono<Map<UUID, List<Model>>> modelsOfCompanies(Collection<UUID> companyIds) {
        return Viewer.current().flatMap(viewer -> models.findByCompanyIds(companyIds, !viewer.admin())
                .collect(Collectors.groupingBy(Model::companyId, Collectors.toList())));
    }

    private static SqlFilter where(ModelFilter filter, Viewer viewer) {
        if (!viewer.admin() && (filter.enabled() != null || filter.statuses() != null)) {
            throw new AccessDeniedException("The 'enabled' and 'statuses' filters are for admins.");
        }
        SqlFilter where = new SqlFilter()
                .and("m.company_id = ?", Ids.parse("filter.companyId", filter.companyId()))
                .and("m.company_id = (SELECT c.id FROM company c WHERE c.slug = ?)", filter.companySlug())
                .and("m.name ILIKE ?", filter.search() == null ? null : SqlFilter.containsPattern(filter.search()))
                .and("m.mode = ANY(?)", filter.modes() == null ? null : filter.modes().toArray(String[]::new))
                .and("m.capabilities @> ?", filter.capabilities() == null ? null
                        : filter.capabilities().stream().map(Enum::name).toArray(String[]::new))
                .and("m.free = ?", filter.free());
        if (viewer.admin()) {
            where.and("m.enabled = ?", filter.enabled());
        } else {
            where.and("m.enabled");
        }
        List<RecordStatus> statuses = filter.statuses() == null ? List.of(RecordStatus.ACTIVE) : filter.statuses();
        return where.and("m.status = ANY(?)", statuses.stream().map(Enum::name).toArray(String[]::new));
    }
}
