package io.oneuihub.catalog;

import java.util.List;

public record CreateCompanyInput(String slug, String name, String description, String logoUrl, String website,
        List<String> providers) {
}
