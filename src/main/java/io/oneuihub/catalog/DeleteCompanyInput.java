package io.oneuihub.catalog;

public record DeleteCompanyInput(String id, String moveModelsTo) {
}
