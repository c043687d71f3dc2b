package io.oneuihub.catalog;

public record DeleteModelInput(String id) {
}
