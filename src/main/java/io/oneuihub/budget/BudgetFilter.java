package io.oneuihub.budget;

import java.util.List;

import io.oneuihub.catalog.RecordStatus;

public record BudgetFilter(List<BudgetScope> scopes, List<RecordStatus> statuses, String search) {
}
