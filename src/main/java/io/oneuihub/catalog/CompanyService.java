package io.oneuihub.catalog;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.PageArguments;
import io.oneuihub.graphql.PagingLimits;
import io.oneuihub.graphql.SqlFilter;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

// HUB_SECURITY_PUBLIC_CATALOG=false: the catalog needs an authenticated caller (anonymous -> UNAUTHORIZED).
@PreAuthorize("@hubAccess.catalogReadable(authentication)")
@Service
public class CompanyService {

    private final CompanyRepository companies;
    private final PagingLimits limits;

    public CompanyService(CompanyRepository companies, PagingLimits limits) {
        this.companies = companies;
        this.limits = limits;
    }

    public Mono<Connection<Company>> companies(CompanyFilter filter, CompanyOrder order, PageArguments paging,
            boolean withTotal) {
        String search = filter == null || filter.search() == null ? null : SqlFilter.containsPattern(filter.search());
        SqlFilter where = new SqlFilter().and("(c.name ILIKE ? OR c.slug ILIKE ?)", search);
        return Mono.defer(() -> companies.page(where, (order == null ? CompanyOrder.DEFAULT : order).ordering(),
                paging.resolve(limits), withTotal));
    }

    public Mono<Company> company(UUID id, String slug) {
        return id != null ? companies.findById(id) : companies.findBySlug(slug);
    }

    public Mono<Map<UUID, Company>> companiesById(Collection<UUID> ids) {
        return companies.findAllById(ids).collectMap(Company::id, Function.identity());
    }
}
