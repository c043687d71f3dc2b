package io.oneuihub.catalog;

public record CompanyFilter(String search) {
}
