package io.oneuihub.catalog;

import java.util.List;

import io.oneuihub.graphql.UserError;

public record CompanyPayload(Company company, List<UserError> userErrors) {

    public CompanyPayload {
        userErrors = List.copyOf(userErrors);
    }

    static CompanyPayload of(Company company) {
        return new CompanyPayload(company, List.of());
    }

    static CompanyPayload refused(List<UserError> errors) {
        return new CompanyPayload(null, errors);
    }
}
