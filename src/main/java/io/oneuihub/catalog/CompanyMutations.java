package io.oneuihub.catalog;

import io.oneuihub.graphql.DeletePayload;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** The Mutation fields that change companies. */
@Controller
class CompanyMutations {

    private final CompanyMutationService companies;

    CompanyMutations(CompanyMutationService companies) {
        this.companies = companies;
    }

    @MutationMapping
    Mono<CompanyPayload> createCompany(@Argument CreateCompanyInput input) {
        return companies.create(input);
    }

    @MutationMapping
    Mono<CompanyPayload> updateCompany(@Argument UpdateCompanyInput input) {
        return companies.update(input);
    }

    @MutationMapping
    Mono<DeletePayload> deleteCompany(@Argument DeleteCompanyInput input) {
        return companies.delete(input);
    }
}
