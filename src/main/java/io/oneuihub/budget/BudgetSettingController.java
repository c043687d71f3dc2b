package io.oneuihub.budget;

import io.oneuihub.litellm.BudgetSetting;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

/** {@code budgetSettings}; BudgetSetting's fields are the record's own. */
@Controller
class BudgetSettingController {

    private final BudgetSettingsService settings;

    BudgetSettingController(BudgetSettingsService settings) {
        this.settings = settings;
    }

    @QueryMapping
    Flux<BudgetSetting> budgetSettings(@Argument String budgetId) {
        return settings.settings(budgetId);
    }
}
