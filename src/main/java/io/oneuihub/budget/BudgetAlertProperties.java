package io.oneuihub.budget;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param resetGrace how long after a budget's resetAt a sync that still sees its spend (above 0, not gone down)
 *                   sends the overdue RESET alert; default 15 minutes: LiteLLM's reset job runs about every ten
 *                   minutes and writes spend in batches, so a reset a few minutes late is no news
 */
@ConfigurationProperties("hub.budget")
public record BudgetAlertProperties(Duration resetGrace) {

    public BudgetAlertProperties {
        resetGrace = resetGrace == null ? Duration.ofMinutes(15) : resetGrace;
        if (resetGrace.isNegative()) {
            throw new IllegalArgumentException("hub.budget.reset-grace must not be negative: " + resetGrace);
        }
    }
}
