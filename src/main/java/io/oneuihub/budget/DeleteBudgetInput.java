package io.oneuihub.budget;

public record DeleteBudgetInput(String id, Boolean force) {
}
