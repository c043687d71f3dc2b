package io.oneuihub.catalog;

public record RemoveDeploymentInput(String id) {
}
